package workdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestJoin(t *testing.T) {
	abs := filepath.Join(string(filepath.Separator), "abs", "x.csv")
	for _, c := range []struct {
		d    Dir
		name string
		want string
	}{
		{"", "a.csv", "a.csv"},
		{"/fix", "a.csv", filepath.Join("/fix", "a.csv")},
		{"/fix", "../b/a.csv", filepath.Join("/b", "a.csv")},
		{"/fix", abs, abs},
		{"/fix", "-", "-"},
		{"/fix", "", ""},
	} {
		if got := c.d.Join(c.name); got != c.want {
			t.Errorf("Dir(%q).Join(%q) = %q, want %q", c.d, c.name, got, c.want)
		}
	}
}

// A file is read from the folder, not from the process's working folder,
// and an error names the path as given, as after a chdir.
func TestReadInFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := Dir(dir)
	b, err := d.ReadFile("a.txt")
	if err != nil || string(b) != "hello" {
		t.Fatalf("ReadFile = %q, %v", b, err)
	}
	f, err := d.Open("a.txt")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if fi, err := d.Stat("a.txt"); err != nil || fi.Size() != 5 {
		t.Fatalf("Stat = %v, %v", fi, err)
	}
	if es, err := d.ReadDir("."); err != nil || len(es) != 1 || es[0].Name() != "a.txt" {
		t.Fatalf("ReadDir = %v, %v", es, err)
	}
	if p, err := d.Abs("a.txt"); err != nil || p != filepath.Join(dir, "a.txt") {
		t.Fatalf("Abs = %q, %v", p, err)
	}
	_, err = d.Open("missing.txt")
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != "missing.txt" || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open(missing) = %v, want a not-exist error naming missing.txt", err)
	}
	if err.Error() != "open missing.txt: no such file or directory" {
		t.Fatalf("error %q", err)
	}
}
