package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llamashare/llamashare/pkg/cli"
)

const killAgreement = `schema: llamashare/v1
currency: USD
period: quarter
hosts:
  h:
    terms:
      - from: 2025-01-01
        rates: [{rate: 10%}]
`

// llamashare returns a command running this test binary as llamashare:
// TestMain (script_test.go) runs cli.Main when the program is called so.
func llamashare(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Args[0] = "llamashare"
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, ".config"), "NO_COLOR=1")
	return cmd
}

// listDir returns the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// waitFor polls until ok holds, for at most ten seconds.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestKillMidWrite kills llamashare (SIGKILL, which no program can catch
// or clean up after) while it is writing its outputs, and finds the
// earlier outputs byte for byte as they were. The kill is deterministic:
// the revenue comes through a pipe the test holds open, so the run is
// still reading when it is killed, after it has streamed thousands of bad
// rows into the --rejects temporary file (seen growing on disk). What a
// SIGKILL leaves behind are the hidden temporary files `.NAME.tmp-*`
// beside the intact outputs; llamashare never reads them, and a later run
// writes its outputs over the originals regardless.
func TestKillMidWrite(t *testing.T) {
	dir := t.TempDir()
	oldOut := []byte("{\"an\": \"earlier result\"}\n")
	oldRejects := []byte("file,line,reason\nearlier.csv,2,host: unknown host \"x\"\n")
	for name, data := range map[string][]byte{"agreement.yaml": []byte(killAgreement), "out.json": oldOut, "rejects.csv": oldRejects} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cmd := llamashare(t, dir, "settle", "-o", "json", "--out", "out.json", "--rejects", "rejects.csv", "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Feed bad rows (an unknown host) and good ones, several MiB, and keep
	// the pipe open: the run cannot end.
	go func() {
		io.WriteString(stdin, "date,host,product,gross\n")
		block := strings.Repeat("2025-01-05,nobody,a,1.00\n", 50) + strings.Repeat("2025-01-05,h,a,1.00\n", 50)
		for i := 0; i < 2000; i++ {
			if _, err := io.WriteString(stdin, block); err != nil {
				return // killed
			}
		}
	}()
	tmpRejects := regexp.MustCompile(`^\.rejects\.csv\.tmp-`)
	waitFor(t, "the rejects to reach the disk", func() bool {
		for _, n := range listDir(t, dir) {
			if tmpRejects.MatchString(n) {
				fi, err := os.Stat(filepath.Join(dir, n))
				return err == nil && fi.Size() > 64<<10
			}
		}
		return false
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	stdin.Close()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the run was not killed: %v\n%s", err, stderr.String())
	}

	for name, want := range map[string][]byte{"out.json": oldOut, "rejects.csv": oldRejects} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s after the kill: %q, %v; want the earlier bytes %q", name, got, err, want)
		}
	}
	// Left behind: only hidden temporary files, the rejects one part
	// written (the proof the kill came mid-write).
	var leftovers []string
	for _, n := range listDir(t, dir) {
		switch n {
		case "agreement.yaml", "out.json", "rejects.csv":
			continue
		}
		if !regexp.MustCompile(`^\.(out\.json|rejects\.csv)\.tmp-[0-9]+$`).MatchString(n) {
			t.Errorf("left behind: %q (only hidden .NAME.tmp-* files may be)", n)
		}
		leftovers = append(leftovers, n)
	}
	if len(leftovers) == 0 {
		t.Error("no temporary file: was the run killed before it wrote anything?")
	}

	// A later run is not disturbed by them: it replaces both outputs and
	// leaves the leftovers alone.
	if err := os.WriteFile(filepath.Join(dir, "q1.csv"), []byte("date,host,product,gross\n2025-01-05,h,a,100.00\n2025-01-06,nobody,a,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"settle", "-a", filepath.Join(dir, "agreement.yaml"), "-o", "json", "--out", filepath.Join(dir, "out.json"),
		"--rejects", filepath.Join(dir, "rejects.csv"), filepath.Join(dir, "q1.csv")},
		&cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, WorkingDir: dir})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var doc struct{ Totals struct{ Share string } }
	if data, err := os.ReadFile(filepath.Join(dir, "out.json")); err != nil || json.Unmarshal(data, &doc) != nil || doc.Totals.Share != "10.00" {
		t.Errorf("out.json after a later run: %v, %+v", err, doc)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "rejects.csv")); !strings.Contains(string(data), `q1.csv,3,"host: unknown host ""nobody"""`) {
		t.Errorf("rejects.csv after a later run: %q", data)
	}
	for _, n := range leftovers {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("the later run touched %s: %v", n, err)
		}
	}
}

// TestKillStatements kills `statements` while it reads: the statements
// of an earlier run stay as they were, and nothing new appears (the files
// are written only after everything is rendered).
func TestKillStatements(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(killAgreement), 0o644); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "out", "2025-Q1", "h.md")
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, []byte("an earlier statement\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := llamashare(t, dir, "statements", "--dir", "out", "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// 2 MiB of rows, read (the pipe holds 64 KiB): the run is past its
	// first blocks, and cannot end while the pipe is open.
	written := make(chan struct{})
	go func() {
		defer close(written)
		io.WriteString(stdin, "date,host,product,gross\n")
		io.WriteString(stdin, strings.Repeat("2025-01-05,h,a,1.00\n", 100_000))
	}()
	select {
	case <-written:
	case <-time.After(10 * time.Second):
		t.Fatal("the run does not read its input")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	stdin.Close()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the run was not killed: %v", cmd.ProcessState)
	}
	if got, _ := os.ReadFile(old); string(got) != "an earlier statement\n" {
		t.Errorf("the earlier statement is now %q", got)
	}
	if names := listDir(t, filepath.Dir(old)); !slices.Equal(names, []string{"h.md"}) {
		t.Errorf("out/2025-Q1 holds %q", names)
	}
}

// TestUnwritableOutputs: an output that cannot be written ends the run
// with exit 2 and a message naming it, before any input is read, and
// leaves nothing behind (nor changes the other output).
func TestUnwritableOutputs(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"agreement.yaml": killAgreement,
		"q1.csv":         "date,host,product,gross\n2025-01-05,h,a,100.00\n",
		"file":           "a file, not a folder\n",
		"rejects.csv":    "earlier rejects\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, dir)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"settle", "--out", "/nonexistent-dir/x.json", "q1.csv"}, "error: cannot write /nonexistent-dir/x.json: no such file or directory"},
		{[]string{"settle", "--out", "file/x.json", "--rejects", "rejects.csv", "q1.csv"}, "error: cannot write file/x.json: not a directory"},
		{[]string{"settle", "--out", "folder", "--rejects", "rejects.csv", "q1.csv"}, "error: cannot write folder: is a directory"},
		{[]string{"settle", "--out", "x.json", "--rejects", "file/rejects.csv", "q1.csv"}, "error: --rejects: cannot write file/rejects.csv: not a directory"},
		{[]string{"settle", "--out", "x.json", "--rejects", "folder", "q1.csv"}, "error: --rejects: cannot write folder: is a directory"},
		{[]string{"settle", "-o", "xlsx", "--out", "file/x.xlsx", "q1.csv"}, "error: cannot write file/x.xlsx: not a directory"},
		{[]string{"statements", "--dir", "file/statements", "q1.csv"}, "error: cannot write file/statements: not a directory"},
		{[]string{"statements", "--dir", "file", "q1.csv"}, "error: cannot write file: not a directory"},
	}
	if os.Geteuid() != 0 {
		// Tests usually run as root, who may write anywhere.
		ro := filepath.Join(dir, "readonly")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		before = listDir(t, dir)
		cases = append(cases,
			struct {
				args []string
				want string
			}{[]string{"settle", "--out", "readonly/x.json", "q1.csv"}, "error: cannot write readonly/x.json: permission denied"},
			struct {
				args []string
				want string
			}{[]string{"statements", "--dir", "readonly/st", "q1.csv"}, "error: cannot write readonly/st: permission denied"},
		)
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			t.Chdir(dir)
			code := cli.Main(c.args, &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, WorkingDir: dir})
			if code != cli.ExitError {
				t.Errorf("exit %d, want 2", code)
			}
			// The last line: a read-only folder is found when writing,
			// after the reconciliation.
			lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
			if got := lines[len(lines)-1]; got != c.want || (len(lines) > 1 && !strings.Contains(c.want, "readonly")) {
				t.Errorf("stderr:\n got %q\nwant %q", errOut.String(), c.want)
			}
			if out.Len() > 0 {
				t.Errorf("stdout: %q", out.String())
			}
			if got := listDir(t, dir); !slices.Equal(got, before) {
				t.Errorf("the folder holds %q, before %q", got, before)
			}
			for _, sub := range []string{"folder", "readonly"} {
				if names, err := os.ReadDir(filepath.Join(dir, sub)); err == nil && len(names) > 0 {
					t.Errorf("%s holds %v", sub, names)
				}
			}
			if data, _ := os.ReadFile(filepath.Join(dir, "rejects.csv")); string(data) != "earlier rejects\n" {
				t.Errorf("rejects.csv changed: %q", data)
			}
		})
	}
}
