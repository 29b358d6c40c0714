package cli_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKillClose kills `close` (SIGKILL) while it reads: the ledger is as it
// was — its entries' bytes, no new entry — and still verifies.
func TestKillClose(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(killAgreement), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "q1.csv"), []byte("date,host,product,gross\n2025-01-05,h,a,100.00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := llamashare(t, dir, "close", "-p", "2025-Q1", "--ledger", "ledger", "q1.csv").CombinedOutput(); err != nil {
		t.Fatalf("close Q1: %v\n%s", err, out)
	}
	before, err := os.ReadFile(filepath.Join(dir, "ledger", "2025-Q1.json"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := llamashare(t, dir, "close", "-p", "2025-Q2", "--ledger", "ledger", "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	written := make(chan struct{})
	go func() {
		defer close(written)
		io.WriteString(stdin, "date,host,product,gross\n")
		io.WriteString(stdin, strings.Repeat("2025-04-05,h,a,1.00\n", 100_000))
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
	if names := listDir(t, filepath.Join(dir, "ledger")); !slices.Equal(names, []string{"2025-Q1.json"}) {
		t.Errorf("ledger holds %q", names)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "ledger", "2025-Q1.json")); !bytes.Equal(after, before) {
		t.Error("the closed entry changed")
	}
	if out, err := llamashare(t, dir, "ledger", "verify", "--ledger", "ledger").CombinedOutput(); err != nil {
		t.Errorf("verify: %v\n%s", err, out)
	}
}

// TestConcurrentClose runs two `close` of the same period at once: exactly
// one succeeds, the other exits 2, and the ledger verifies.
func TestConcurrentClose(t *testing.T) {
	for round := 0; round < 5; round++ {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(killAgreement), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "q1.csv"), []byte("date,host,product,gross\n2025-01-05,h,a,100.00\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		a := llamashare(t, dir, "close", "-p", "2025-Q1", "--ledger", "ledger", "--on", "2025-04-01", "q1.csv")
		b := llamashare(t, dir, "close", "-p", "2025-Q1", "--ledger", "ledger", "--on", "2025-04-02", "q1.csv")
		if err := a.Start(); err != nil {
			t.Fatal(err)
		}
		if err := b.Start(); err != nil {
			t.Fatal(err)
		}
		a.Wait()
		b.Wait()
		codes := []int{a.ProcessState.ExitCode(), b.ProcessState.ExitCode()}
		slices.Sort(codes)
		if !slices.Equal(codes, []int{0, 2}) {
			t.Fatalf("round %d: exit codes %v", round, codes)
		}
		if names := listDir(t, filepath.Join(dir, "ledger")); !slices.Equal(names, []string{"2025-Q1.json"}) {
			t.Errorf("ledger holds %q", names)
		}
		if out, err := llamashare(t, dir, "ledger", "verify", "--ledger", "ledger").CombinedOutput(); err != nil {
			t.Errorf("verify: %v\n%s", err, out)
		}
	}
}
