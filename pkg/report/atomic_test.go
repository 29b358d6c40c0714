package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists a folder's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Until Commit, the file is as it was; the temporary file is hidden.
	a, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Write([]byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("before Commit: %q", got)
	}
	names := entries(t, dir)
	if len(names) != 2 || !strings.HasPrefix(names[0], ".out.json.tmp-") {
		t.Fatalf("while writing: %q", names)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	a.Abort() // after Commit: nothing to do
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("after Commit: %q", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("after Commit: %q", names)
	}

	// Abort leaves the file and removes the temporary one.
	a, err = CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	a.Write([]byte("partial"))
	a.Abort()
	a.Abort()
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("after Abort: %q", got)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("after Abort: %q", names)
	}

	// A write that fails changes nothing.
	err = WriteFileAtomic(path, func(f *os.File) error {
		f.Write([]byte("partial"))
		return errors.New("boom")
	})
	if err == nil || err.Error() != "boom" {
		t.Fatalf("WriteFileAtomic: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("after a failed write: %q", got)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("after a failed write: %q", names)
	}
}

func TestCreateAtomicUnwritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing", "x.json"): "no such file or directory",
		filepath.Join(file, "x.json"):           "not a directory",
		dir:                                     "is a directory",
	} {
		_, err := CreateAtomic(path)
		if err == nil || err.Error() != "cannot write "+path+": "+want {
			t.Errorf("CreateAtomic(%s): %v", path, err)
		}
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("left behind: %q", names)
	}
}
