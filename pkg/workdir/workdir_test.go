package workdir

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
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

// Key tells two spellings of one file apart from two files: on disk
// through ./, .., the working folder and symbolic links; in an fs.FS by
// the cleaned slash path. Open reads from the FS when there is one.
func TestSourceKey(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"whole.csv", "copy.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("whole.csv", link); err != nil {
		t.Skip(err)
	}
	disk := Source{Dir: Dir(dir)}
	key := disk.Key("whole.csv")
	for _, same := range []string{"./whole.csv", "./sub/../whole.csv", filepath.Join(dir, "whole.csv"), "link.csv"} {
		if got := disk.Key(same); got != key {
			t.Errorf("Key(%q) = %q, want %q (whole.csv's)", same, got, key)
		}
	}
	if disk.Key("copy.csv") == key || disk.Key("-") != "-" {
		t.Errorf("copy.csv or - has whole.csv's key")
	}

	mem := Source{FS: fstest.MapFS{"whole.csv": {Data: []byte("in memory")}}}
	if mem.Key("./sub/../whole.csv") != mem.Key("whole.csv") || mem.Key("copy.csv") == mem.Key("whole.csv") {
		t.Errorf("in-memory keys: %q %q %q", mem.Key("./sub/../whole.csv"), mem.Key("whole.csv"), mem.Key("copy.csv"))
	}
	f, err := mem.Open("./whole.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "in memory" {
		t.Errorf("read %q from the FS", b)
	}
	if f, err := disk.Open("./sub/../whole.csv"); err != nil {
		t.Error(err)
	} else {
		f.Close()
	}
}
