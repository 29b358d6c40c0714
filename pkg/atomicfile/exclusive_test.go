package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Of two writers of one new name exactly one wins; the loser changes
// nothing, and neither leaves a temporary file.
func TestCreateNewExclusive(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "2025-Q1.json")
	a, err := CreateNew(name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := CreateNew(name)
	if err != nil {
		t.Fatal(err)
	}
	a.Write([]byte("first"))
	b.Write([]byte("second"))
	if err := a.CommitNew(0o444); err != nil {
		t.Fatal(err)
	}
	if err := b.CommitNew(0o444); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second commit: %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "first" {
		t.Errorf("content %q, want the winner's", got)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v, want 0444", fi.Mode().Perm())
	}
	if _, err := CreateNew(name); !errors.Is(err, fs.ErrExist) {
		t.Errorf("CreateNew of an existing name: %v, want fs.ErrExist", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file", len(entries))
	}
	// Aborted: nothing.
	c, err := CreateNew(filepath.Join(dir, "2025-Q2.json"))
	if err != nil {
		t.Fatal(err)
	}
	c.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("an aborted file left %d entries", len(entries))
	}
}
