//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestCheckKeepsWorkingFolder: check runs a fixture inside its folder
// without changing the process's working folder (which would rule out
// running fixtures in parallel, and would move every other goroutine of
// the process with it). The fixture's input is a FIFO, so the test holds
// the fixture's settle in the middle of its run, reading the input, and
// looks at the process's working folder then.
func TestCheckKeepsWorkingFolder(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fix := filepath.Join(dir, "fix")
	if err := os.Mkdir(fix, 0o755); err != nil {
		t.Fatal(err)
	}
	const revenue = "date,host,product,gross\n2025-01-05,h,a,100.00\n"
	os.WriteFile(filepath.Join(fix, "agreement.yaml"), []byte(killAgreement), 0o644)
	input := filepath.Join(fix, "q1.csv")
	os.WriteFile(input, []byte(revenue), 0o644)
	// The fixture's own folder holds the only agreement.yaml and q1.csv:
	// the paths "agreement.yaml" and "q1.csv" settle reads are the
	// fixture's, relative to its folder.
	if code, out, errOut := runIn(wd, "check", "--update", fix); code != 0 {
		t.Fatalf("check --update: exit %d\n%s%s", code, out, errOut)
	}

	os.Remove(input)
	if err := syscall.Mkfifo(input, 0o644); err != nil {
		t.Skip(err)
	}
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := runIn(wd, "check", fix)
		done <- result{code, out, errOut}
	}()
	// Opening the FIFO for writing waits until the fixture's settle has
	// opened it for reading: the fixture is running now.
	opened := make(chan *os.File, 1)
	go func() {
		w, err := os.OpenFile(input, os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
		}
		opened <- w
	}()
	var w *os.File
	select {
	case w = <-opened:
	case r := <-done:
		t.Fatalf("check finished without reading the input: exit %d\n%s%s", r.code, r.out, r.err)
	case <-time.After(30 * time.Second):
		t.Fatal("the fixture never opened its input")
	}
	if w == nil {
		t.FailNow()
	}
	during, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString(revenue)
	w.Close()
	r := <-done
	if during != wd {
		t.Errorf("while a fixture ran, the process's working folder was %s, not %s", during, wd)
	}
	if r.code != 0 || !regexp.MustCompile(`(?m)^PASS .*fix\n1 passed, 0 failed\n\z`).MatchString(r.out) {
		t.Errorf("check: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

// TestCheckExamplesInParallel runs the shipped examples (settlement and
// balances fixtures) as check does, once one at a time and once in
// parallel: under -race a fixture that touched process state would show,
// and the output is the same bytes, in the fixtures' order, either way.
func TestCheckExamplesInParallel(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	examples := filepath.Join("..", "..", "examples")
	run := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		code, out, errOut := runIn(wd, "check", examples)
		if code != 0 {
			t.Fatalf("check with GOMAXPROCS=%d: exit %d\n%s%s", procs, code, out, errOut)
		}
		return out
	}
	one, many := run(1), run(4)
	if one != many {
		t.Errorf("check in parallel printed\n%s\none at a time\n%s", many, one)
	}
	if !regexp.MustCompile(`\n[2-9] passed, 0 failed\n\z`).MatchString(many) {
		t.Errorf("check printed\n%s", many)
	}
}
