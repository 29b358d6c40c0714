package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsKeepWorkingFolder: init, statements --dir, close, the
// ledger commands and check take relative paths from the run's working folder
// (IOStreams.WorkingDir, as check gives each fixture), not from the
// process's: run in a folder other than the process's, they read and
// write there, name the paths as given, and leave the process's folder
// empty.
func TestCommandsKeepWorkingFolder(t *testing.T) {
	cwd := t.TempDir()
	t.Chdir(cwd)
	w := t.TempDir()
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := runIn(w, args...)
		if code != want {
			t.Fatalf("%s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
		return out, errOut
	}
	exists := func(name string) {
		t.Helper()
		if _, err := os.Stat(filepath.Join(w, name)); err != nil {
			t.Errorf("%s not written in the working folder: %v", name, err)
		}
	}

	_, errOut := run(0, "init", "contracts")
	if want := "wrote " + filepath.Join("contracts", "agreement.yaml"); !strings.Contains(errOut, want) {
		t.Errorf("init: stderr %q lacks %q", errOut, want)
	}
	exists("contracts/agreement.yaml")
	exists("contracts/revenue.csv")
	// The files are found there: init refuses to overwrite them.
	if _, errOut = run(2, "init", "contracts"); !strings.Contains(errOut, "exists; use --force") {
		t.Errorf("init again: %s", errOut)
	}

	ag, rev := filepath.Join("contracts", "agreement.yaml"), filepath.Join("contracts", "revenue.csv")
	out, _ := run(0, "statements", "-a", ag, "-p", "2025-Q1", "--dir", "out", rev)
	lines := strings.Fields(out)
	if len(lines) == 0 {
		t.Fatal("statements listed no file")
	}
	for _, name := range lines {
		if !strings.HasPrefix(name, "out"+string(filepath.Separator)) {
			t.Errorf("statements lists %s, want a path under out as given", name)
		}
		exists(name)
	}

	_, errOut = run(0, "close", "-a", ag, "-p", "2025-Q1", "--ledger", "ledger", "--on", "2025-04-03", rev)
	if want := "closed 2025-Q1: " + filepath.Join("ledger", "2025-Q1.json"); !strings.Contains(errOut, want) {
		t.Errorf("close: stderr %q lacks %q", errOut, want)
	}
	exists("ledger/2025-Q1.json")
	// The ledger is read there: the period is closed already.
	if _, errOut = run(2, "close", "-a", ag, "-p", "2025-Q1", "--ledger", "ledger", rev); !strings.Contains(errOut, "already closed") {
		t.Errorf("close again: %s", errOut)
	}
	if out, _ = run(0, "ledger", "verify", "--ledger", "ledger"); !strings.Contains(out, "ok 2025-Q1") {
		t.Errorf("ledger verify: %s", out)
	}
	if out, _ = run(0, "ledger", "show", "--ledger", "ledger"); !strings.Contains(out, "2025-Q1") {
		t.Errorf("ledger show: %s", out)
	}

	// check: its folder arguments and --junit too; a fixture's settle
	// runs in the fixture's folder.
	if out, _ = run(0, "check", "--update", "contracts"); !strings.Contains(out, "UPDATED "+filepath.Join("contracts", "expected.json")) {
		t.Errorf("check --update: %s", out)
	}
	exists("contracts/expected.json")
	if out, _ = run(0, "check", "--junit", "check.xml", "contracts"); !strings.Contains(out, "PASS contracts\n") {
		t.Errorf("check: %s", out)
	}
	exists("check.xml")

	if left, err := os.ReadDir(cwd); err != nil || len(left) > 0 {
		t.Errorf("the process's folder holds %v (%v), want nothing", left, err)
	}
}
