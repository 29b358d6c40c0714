//go:build unix

package atomicfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemporaries fails when a `.NAME.tmp-*` or `.NAME.bak-*` is left in dir.
func noTemporaries(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".bak-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestFIFOWrittenDirectly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "ff")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	if err := WriteFile(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "hello\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "hello\n" {
		t.Errorf("the FIFO's reader got %q", s)
	}
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
	noTemporaries(t, dir)
}

func TestDevNullStaysADevice(t *testing.T) {
	f, err := Create(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Direct() {
		t.Fatalf("%s is written through a temporary file", os.DevNull)
	}
	f.Write([]byte("x"))
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a device: %v", os.DevNull, err)
	}
}

func TestStdout(t *testing.T) {
	var buf bytes.Buffer
	s := &Set{Stdout: &buf}
	f, err := s.Create("--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("result"))
	if _, err := s.Create("--rejects", "-"); err == nil || !strings.Contains(err.Error(), "standard output is already --out") {
		t.Errorf("a second output to stdout: %v", err)
	}
	if err := s.Commit(); err != nil || buf.String() != "result" {
		t.Errorf("stdout got %q, %v", buf.String(), err)
	}
}

func TestSymlinkFollowed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "out.json")
	write(t, target, "old")
	if err := os.Symlink("real.json", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a regular file")
	}
	if s := read(t, target); s != "new" {
		t.Errorf("the link's target holds %q", s)
	}
	// A dangling link names the file to create.
	dangling := filepath.Join(dir, "d.json")
	os.Symlink("created.json", dangling)
	if err := WriteFile(dangling, func(w io.Writer) error { _, err := io.WriteString(w, "c"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := read(t, filepath.Join(dir, "created.json")); s != "c" {
		t.Errorf("created.json holds %q", s)
	}
	noTemporaries(t, dir)
}

func TestOutputThatIsAnInputRefused(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	write(t, in, "rows")
	os.Symlink("in.csv", filepath.Join(dir, "alias.csv"))
	os.Link(in, filepath.Join(dir, "hard.csv"))
	for _, name := range []string{in, filepath.Join(dir, "alias.csv"), filepath.Join(dir, "hard.csv"), filepath.Join(dir, ".", "in.csv")} {
		s := &Set{}
		s.Input("input", in)
		if _, err := s.Create("--out", name); err == nil || !strings.Contains(err.Error(), "is the input") {
			t.Errorf("--out %s over the input: %v", name, err)
		}
		s.Abort()
	}
	// Two outputs, one file (not yet existing).
	s := &Set{}
	if _, err := s.Create("--out", filepath.Join(dir, "x.csv")); err != nil {
		t.Fatal(err)
	}
	os.Symlink("x.csv", filepath.Join(dir, "y.csv"))
	if _, err := s.Create("--rejects", filepath.Join(dir, "y.csv")); err == nil || !strings.Contains(err.Error(), "same file as --out") {
		t.Errorf("--rejects onto --out: %v", err)
	}
	s.Abort()
	if read(t, in) != "rows" {
		t.Errorf("the input changed")
	}
	noTemporaries(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Errorf("an aborted set created x.csv")
	}
}

// TestSetAllOrNothing: a rename that fails late puts back what the set
// had already renamed.
func TestSetAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.json")
	write(t, a, "old a")
	s := &Set{}
	fa, err := s.Create("--rejects", a)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := s.Create("--out", b)
	if err != nil {
		t.Fatal(err)
	}
	fa.Write([]byte("new a"))
	fb.Write([]byte("new b"))
	// b becomes a folder that is not empty during the run: its rename fails.
	os.MkdirAll(filepath.Join(b, "sub"), 0o755)
	if err := s.Commit(); err == nil {
		t.Fatal("commit over a folder succeeded")
	}
	if got := read(t, a); got != "old a" {
		t.Errorf("a.csv holds %q after a failed set, want its old content", got)
	}
	noTemporaries(t, dir)

	// A new file that a failed set renamed is removed again.
	os.Remove(a)
	s = &Set{}
	s.Create("--rejects", a)
	s.Create("--out", filepath.Join(dir, "c.json"))
	os.MkdirAll(filepath.Join(dir, "c.json", "sub"), 0o755)
	if err := s.Commit(); err == nil {
		t.Fatal("commit over a folder succeeded")
	}
	if _, err := os.Stat(a); err == nil {
		t.Errorf("a failed set left a new a.csv")
	}
	noTemporaries(t, dir)
}

func TestMkdirAllUndone(t *testing.T) {
	dir := t.TempDir()
	s := &Set{}
	if err := s.MkdirAll(filepath.Join(dir, "x", "y")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create("statement", filepath.Join(dir, "x", "y", "a.md")); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Errorf("an aborted set left the folders it created")
	}
}

func TestWithin(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	os.Symlink(outside, filepath.Join(dir, "2025-Q1"))
	s := &Set{}
	s.Within(dir)
	if _, err := s.Create("statement", filepath.Join(dir, "2025-Q1", "aws.md")); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a statement through a symlinked folder: %v", err)
	}
	if _, err := s.Create("statement", filepath.Join(dir, "..", "x.md")); err == nil {
		t.Errorf("a statement in ..: accepted")
	}
	if _, err := s.Create("statement", filepath.Join(dir, "ok.md")); err != nil {
		t.Errorf("a statement inside: %v", err)
	}
	s.Abort()
	ents, _ := os.ReadDir(outside)
	if len(ents) != 0 {
		t.Errorf("wrote outside: %v", ents)
	}
}

func TestRemoveTemporaries(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("partial"))
	RemoveTemporaries()
	noTemporaries(t, dir)
}
