package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// AtomicFile is an output file written through a temporary file in the
// same folder (`.NAME.tmp-*`, hidden) and renamed into place by Commit:
// until then the file at path is neither created nor changed, and Abort
// removes the temporary file. A process killed before Commit (SIGKILL,
// a power cut) cannot remove it: the hidden temporary file stays beside an
// intact path, and llamashare never reads such files.
type AtomicFile struct {
	path   string
	tmp    *os.File
	closed bool
	done   bool
}

// CreateAtomic starts writing path. It fails at once, creating nothing,
// when path cannot be written: its folder is missing or is not a folder,
// cannot be written to, or path is a folder.
func CreateAtomic(path string) (*AtomicFile, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("cannot write %s: is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", path, unwrapPath(err))
	}
	return &AtomicFile{path: path, tmp: tmp}, nil
}

// Path is the file's final path.
func (a *AtomicFile) Path() string { return a.path }

// File is the temporary file being written.
func (a *AtomicFile) File() *os.File { return a.tmp }

// Write writes to the temporary file.
func (a *AtomicFile) Write(b []byte) (int, error) {
	n, err := a.tmp.Write(b)
	if err != nil {
		err = fmt.Errorf("cannot write %s: %v", a.path, unwrapPath(err))
	}
	return n, err
}

// Finish flushes the temporary file to disk and closes it, with path's
// permissions (0644 for a new file), so that Commit has only the rename
// left to do. Commit calls it when it has not been called.
func (a *AtomicFile) Finish() error {
	if a.closed {
		return nil
	}
	a.closed = true
	fail := func(err error) error {
		return fmt.Errorf("cannot write %s: %v", a.path, unwrapPath(err))
	}
	if err := a.tmp.Sync(); err != nil {
		a.tmp.Close()
		return fail(err)
	}
	if err := a.tmp.Close(); err != nil {
		return fail(err)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(a.path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.Chmod(a.tmp.Name(), mode); err != nil {
		return fail(err)
	}
	return nil
}

// Commit finishes the file and renames it into place. On failure the
// temporary file is removed and path is as it was.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("report: AtomicFile committed or aborted twice")
	}
	if err := a.Finish(); err != nil {
		a.Abort()
		return err
	}
	if err := os.Rename(a.tmp.Name(), a.path); err != nil {
		a.Abort()
		return fmt.Errorf("cannot write %s: %v", a.path, unwrapPath(err))
	}
	a.done = true
	return nil
}

// Abort removes the temporary file; path is left as it was. It does
// nothing after Commit and may be called more than once.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	if !a.closed {
		a.closed = true
		a.tmp.Close()
	}
	os.Remove(a.tmp.Name())
}

// CheckDir reports at once a folder that WriteStatementFiles could not
// create: dir, or the nearest of its parents that exists, is not a folder.
// Commands call it before a long run rather than fail at its end.
func CheckDir(dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		switch {
		case err == nil && !fi.IsDir():
			return fmt.Errorf("cannot write %s: not a directory", p)
		case err == nil:
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("cannot write %s: %v", p, unwrapPath(err))
		case p == filepath.Dir(p):
			return nil
		}
	}
}

// WriteFileAtomic writes the output of write to path through a temporary
// file in the same folder, renamed into place only when write succeeds:
// a failed run never creates or changes path.
func WriteFileAtomic(path string, write func(f *os.File) error) error {
	a, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	if err := write(a.File()); err != nil {
		a.Abort()
		return err
	}
	return a.Commit()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
