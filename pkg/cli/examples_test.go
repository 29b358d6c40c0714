package cli

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/viper"
)

// exampleFiles lays out the folder every help example runs in: each path
// (relative to the folder) is a copy of a file or folder of the
// repository. An example that needs another file adds it here.
var exampleFiles = map[string]string{
	"agreement.yaml":           "examples/llama-hosts/agreement.yaml",
	"q1.csv":                   "examples/llama-hosts/2025-q1.csv",
	"reports/2025-q1.csv":      "examples/llama-hosts/2025-q1.csv",
	"reports/2025-q2.csv":      "examples/llama-hosts/2025-q2.csv",
	"partner":                  "examples/llama-hosts/reports",
	"fixtures/llama-hosts":     "examples/llama-hosts",
	"fixtures/advance-minimum": "examples/advance-minimum",
	"examples":                 "examples",
	"payments.csv":             "testdata/payments/payments.csv",
	"bank":                     "testdata/payments",
	"quarter-close":            "examples/quarter-close",
}

// TestHelpExamples runs every command's Examples, as a user would paste
// them, in a folder prepared with exampleFiles: each line's llamashare
// commands must succeed (`A && B` runs both, `cd DIR` changes folder,
// `> FILE` writes stdout there, globs expand, `# …` is a comment; a
// command of another tool, or after a `|`, is not run). Every command has
// examples. The lines of one command's examples run one after another
// in the same folder.
func TestHelpExamples(t *testing.T) {
	root := newRoot(&globals{io: &IOStreams{}, v: viper.New()})
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	back, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(back)
	for _, c := range append(root.Commands(), root) {
		if c.Name() == "help" || c.Hidden {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			var lines []string
			for _, l := range strings.Split(c.Example, "\n") {
				if l = strings.TrimSpace(l); strings.HasPrefix(l, "llamashare ") {
					lines = append(lines, l)
				}
			}
			if len(lines) == 0 {
				t.Fatalf("%q --help has no Examples of llamashare invocations", c.CommandPath())
			}
			dir := prepareExampleDir(t, repo) // the lines run one after another, as typed
			for _, line := range lines {
				if err := runExampleLine(dir, line); err != nil {
					t.Errorf("example %q: %v\n(files the examples may use: exampleFiles in examples_test.go)", line, err)
				}
			}
		})
	}
}

func prepareExampleDir(t *testing.T, repo string) string {
	t.Helper()
	dir := t.TempDir()
	for to, from := range exampleFiles {
		if err := copyTree(filepath.Join(repo, from), filepath.Join(dir, to)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// runExampleLine runs the llamashare commands of one example line in dir.
func runExampleLine(dir, line string) error {
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	cwd := dir
	for _, seg := range strings.Split(line, "&&") {
		args := exampleWords(seg)
		if len(args) == 0 {
			continue
		}
		switch args[0] {
		case "cd":
			cwd = filepath.Join(cwd, args[1])
			continue
		case "llamashare":
		default:
			continue // another tool
		}
		if i := indexOf(args, "|"); i >= 0 {
			args = args[:i]
		}
		out := ""
		if i := indexOf(args, ">"); i >= 0 && i+1 < len(args) {
			out, args = args[i+1], args[:i]
		}
		if err := os.Chdir(cwd); err != nil {
			return err
		}
		var expanded []string
		for _, a := range args[1:] {
			if strings.ContainsAny(a, "*?[") {
				slash := strings.HasSuffix(a, "/")
				if m, _ := filepath.Glob(strings.TrimSuffix(a, "/")); len(m) > 0 {
					for _, p := range m {
						if slash {
							p += "/"
						}
						expanded = append(expanded, p)
					}
					continue
				}
			}
			expanded = append(expanded, a)
		}
		var stdout, stderr bytes.Buffer
		env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, ".config")}
		streams := &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr,
			Getenv: func(k string) string { return env[k] }, WorkingDir: cwd}
		if code := Main(expanded, streams); code != ExitOK {
			return fmt.Errorf("%s: exit %d:\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
		if out != "" {
			if err := os.WriteFile(filepath.Join(cwd, out), stdout.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// exampleWords splits a shell line into words, keeping '…' and "…"
// together and | and > as words of their own.
func exampleWords(s string) []string {
	var words []string
	var cur strings.Builder
	in, quote := false, rune(0)
	flush := func() {
		if in {
			words = append(words, cur.String())
			cur.Reset()
			in = false
		}
	}
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			flush()
		case r == '|' || r == '>':
			flush()
			words = append(words, string(r))
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	flush()
	return words
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}
