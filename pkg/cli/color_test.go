package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/cli"
)

// TestTableColor: the table is coloured only on a terminal and never with
// NO_COLOR; without its escapes it is the piped table, byte for byte.
func TestTableColor(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ag := write("agreement.yaml", "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n  h:\n    terms:\n      - from: 2025-01-01\n        rates: [{rate: 10%}]\n")
	csv := write("q1.csv", "date,host,product,gross\n2025-01-05,h,p,100.00\n2025-01-06,h,q,(300.00)\n")
	run := func(tty bool, env map[string]string, extra ...string) string {
		var out, errOut bytes.Buffer
		streams := &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, StdoutTTY: tty,
			Getenv: func(k string) string { return env[k] }, WorkingDir: dir}
		if code := cli.Main(append([]string{"settle", "-a", ag, csv}, extra...), streams); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	plain := run(false, nil)
	if strings.Contains(plain, "\x1b[") {
		t.Fatalf("piped output has escapes:\n%q", plain)
	}
	color := run(true, nil)
	if !strings.Contains(color, "\x1b[1mHost\x1b[0m") || !strings.Contains(color, "\x1b[31m-20.00\x1b[0m") {
		t.Errorf("terminal output lacks a bold header or a red negative amount:\n%q", color)
	}
	// On a terminal the table is fitted (issue 14); NO_COLOR or a dumb
	// terminal gets that table without escapes.
	noColor := run(true, map[string]string{"NO_COLOR": "1"})
	if strings.Contains(noColor, "\x1b[") {
		t.Errorf("NO_COLOR on a terminal: escapes:\n%q", noColor)
	}
	if got := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(color, ""); got != noColor {
		t.Errorf("terminal output without escapes differs from the NO_COLOR output:\n%s\n%s", got, noColor)
	}
	if got := run(true, map[string]string{"TERM": "dumb"}); got != noColor {
		t.Errorf("TERM=dumb on a terminal: output differs from NO_COLOR's:\n%q", got)
	}
	// Other formats never carry colour.
	if got := run(true, nil, "-o", "csv"); strings.Contains(got, "\x1b[") {
		t.Errorf("-o csv on a terminal has escapes:\n%q", got)
	}
}
