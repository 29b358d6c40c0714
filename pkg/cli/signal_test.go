//go:build unix

package cli_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalCleansUp: SIGINT or SIGTERM in the middle of a run removes
// its temporary files, leaves the earlier outputs as they were, and exits
// 130 or 143 (128 + the signal), as a shell expects.
func TestSignalCleansUp(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			old := []byte("an earlier result\n")
			os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(killAgreement), 0o644)
			os.WriteFile(filepath.Join(dir, "out.json"), old, 0o644)
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
			go func() {
				io.WriteString(stdin, "date,host,product,gross\n")
				block := strings.Repeat("2025-01-05,nobody,a,1.00\n", 50) + strings.Repeat("2025-01-05,h,a,1.00\n", 50)
				for i := 0; i < 4000; i++ {
					if _, err := io.WriteString(stdin, block); err != nil {
						return
					}
				}
			}()
			tmp := regexp.MustCompile(`^\.rejects\.csv\.tmp-`)
			waitFor(t, "the rejects to reach the disk", func() bool {
				for _, n := range listDir(t, dir) {
					if tmp.MatchString(n) {
						fi, err := os.Stat(filepath.Join(dir, n))
						return err == nil && fi.Size() > 64<<10
					}
				}
				return false
			})
			cmd.Process.Signal(c.sig)
			cmd.Wait()
			stdin.Close()
			if got := cmd.ProcessState.ExitCode(); got != c.code {
				t.Errorf("exit %d after %v, want %d\n%s", got, c.sig, c.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted by") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr.String())
			}
			for _, n := range listDir(t, dir) {
				if n != "agreement.yaml" && n != "out.json" {
					t.Errorf("left behind after %v: %s", c.sig, n)
				}
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "out.json")); !bytes.Equal(got, old) {
				t.Errorf("out.json changed: %q", got)
			}
		})
	}
}

// TestStatementsWaitForLock: a run writing statements into a folder that
// another run holds locked waits for it before it lands its set, so that
// two runs at once land one whole set after the other, never a mix.
func TestStatementsWaitForLock(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(killAgreement), 0o644)
	os.WriteFile(filepath.Join(dir, "q1.csv"), []byte("date,host,product,gross\n2025-01-05,h,a,100.00\n"), 0o644)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	lock, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Skip("no flock here:", err)
	}
	cmd := llamashare(t, dir, "statements", "--dir", "out", "q1.csv")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("the run ended while another held the folder: %v\n%s", err, stderr.String())
	case <-time.After(700 * time.Millisecond):
	}
	if _, err := os.Stat(filepath.Join(out, "2025-Q1", "h.md")); err == nil {
		t.Fatal("a statement landed while another run held the folder")
	}
	syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if err := <-done; err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "2025-Q1", "h.md")); err != nil {
		t.Errorf("no statement after the lock was released: %v", err)
	}
}

// TestFIFOOut: --out to a FIFO writes into it (its reader gets the
// result) and leaves it a FIFO.
func TestFIFOOut(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(killAgreement), 0o644)
	os.WriteFile(filepath.Join(dir, "q1.csv"), []byte("date,host,product,gross\n2025-01-05,h,a,100.00\n"), 0o644)
	fifo := filepath.Join(dir, "ff")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	cmd := llamashare(t, dir, "settle", "-o", "csv", "--out", "ff", "q1.csv")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if b := <-got; !bytes.Contains(b, []byte("h,h,2025-Q1")) && !bytes.Contains(b, []byte(",2025-Q1,")) {
		t.Errorf("the FIFO's reader got %q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("ff is no longer a FIFO")
	}
}
