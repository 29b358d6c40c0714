package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/cli"
)

// TestManPages generates the man pages twice: one per command, the same
// bytes both times (a fixed date, no generation tag).
func TestManPages(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := cli.GenManPages(a); err != nil {
		t.Fatal(err)
	}
	if err := cli.GenManPages(b); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (%v)", e.Name(), err)
		}
		if bytes.Contains(x, []byte("Auto generated")) {
			t.Errorf("%s carries a generation tag", e.Name())
		}
	}
	for _, want := range []string{"llamashare.1", "llamashare-settle.1", "llamashare-statements.1", "llamashare-completion.1"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("no %s among %v", want, names)
		}
	}
	page, _ := os.ReadFile(filepath.Join(a, "llamashare-statements.1"))
	if !bytes.Contains(page, []byte(`.TH "LLAMASHARE-STATEMENTS" "1" "Jan 2026" "llamashare"`)) {
		t.Errorf("llamashare-statements.1 header:\n%s", page[:min(len(page), 200)])
	}
}
