// Package atomicfile writes a run's output files so that they never harm
// its inputs and a failing or interrupted run changes nothing.
//
// A regular file is written to a hidden temporary file in its folder
// (`.NAME.tmp-*`) and renamed into place on Commit; a symbolic link is
// followed and its target replaced the same way. A special file (a
// device, a FIFO, a socket) cannot be replaced, so it is opened and
// written directly, and "-" is standard output. A Set groups the outputs
// of one run: every one is flushed to disk before any is renamed, and a
// rename that fails late puts back those already done, so all land or
// none does. Temporary files are registered while they exist, so that a
// signal handler can remove them (RemoveTemporaries).
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/llamashare/llamashare/pkg/workdir"
)

// File is one output file being written.
type File struct {
	name   string    // as given
	target string    // the path renamed onto: name with links followed
	tmp    *os.File  // the temporary file, or the special file itself
	w      io.Writer // standard output, for "-"
	direct bool      // a special file or standard output: written as it goes
	closed bool
	done   bool
}

// Create starts writing name. It fails at once, creating nothing, when
// name cannot be written: its folder is missing, is not a folder or is
// not writable, or name is a folder.
func Create(name string) (*File, error) {
	return create(name, name, nil)
}

// create starts writing path, named name in messages and by Path.
func create(name, path string, stdout io.Writer) (*File, error) {
	if name == "-" {
		if stdout == nil {
			stdout = os.Stdout
		}
		return &File{name: name, target: name, w: stdout, direct: true, closed: true}, nil
	}
	target, err := followLinks(path)
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", name, err)
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("cannot write %s: is a directory", name)
	case err == nil && !fi.Mode().IsRegular():
		// A device or a FIFO: renaming a file over it would replace
		// it (as root, --out /dev/null replaced /dev/null).
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %v", name, workdir.Cause(err))
		}
		return &File{name: name, target: target, tmp: f, direct: true}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", name, workdir.Cause(err))
	}
	register(tmp.Name())
	return &File{name: name, target: target, tmp: tmp}, nil
}

// Path is the file's name as given.
func (f *File) Path() string { return f.name }

// Target is the path the file lands on: its name with symbolic links
// followed ("-" for standard output).
func (f *File) Target() string { return f.target }

// Direct reports whether the file is written as it goes (a device, a
// FIFO, standard output) rather than renamed into place.
func (f *File) Direct() bool { return f.direct }

// File is the temporary (or special) file being written; nil for
// standard output.
func (f *File) File() *os.File { return f.tmp }

// Write writes to the temporary file (or the special file, or stdout).
func (f *File) Write(b []byte) (int, error) {
	var n int
	var err error
	if f.w != nil {
		n, err = f.w.Write(b)
	} else {
		n, err = f.tmp.Write(b)
	}
	if err != nil {
		err = fmt.Errorf("cannot write %s: %v", f.name, workdir.Cause(err))
	}
	return n, err
}

// Finish flushes the temporary file to disk and closes it, with the
// target's permissions (0644 for a new file), so that only the rename is
// left to do.
func (f *File) Finish() error {
	if f.closed {
		return nil
	}
	f.closed = true
	fail := func(err error) error {
		return fmt.Errorf("cannot write %s: %v", f.name, workdir.Cause(err))
	}
	if f.direct {
		if err := f.tmp.Close(); err != nil {
			return fail(err)
		}
		return nil
	}
	if err := f.tmp.Sync(); err != nil {
		f.tmp.Close()
		return fail(err)
	}
	if err := f.tmp.Close(); err != nil {
		return fail(err)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(f.target); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.Chmod(f.tmp.Name(), mode); err != nil {
		return fail(err)
	}
	return nil
}

// Commit finishes the file and renames it into place. On failure the
// temporary file is removed and the target is as it was.
func (f *File) Commit() error {
	var s Set
	s.files = []*File{f}
	return s.Commit()
}

// Abort removes the temporary file; the target is left as it was. It
// does nothing after Commit and may be called more than once.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	if !f.closed {
		f.closed = true
		f.tmp.Close()
	}
	if !f.direct {
		os.Remove(f.tmp.Name())
		unregister(f.tmp.Name())
	}
}

// WriteFile writes the output of write to name through a File: a failed
// write never creates or changes name.
func WriteFile(name string, write func(w io.Writer) error) error {
	f, err := Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// maxLinks bounds the symbolic links followed, as the kernel does.
const maxLinks = 40

// followLinks returns the file a chain of symbolic links at name ends at,
// which need not exist (a dangling link names the file to create).
func followLinks(name string) (string, error) {
	p := name
	for i := 0; i < maxLinks; i++ {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		to, err := os.Readlink(p)
		if err != nil {
			return "", workdir.Cause(err)
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(p), to)
		}
		p = to
	}
	return "", errors.New("too many levels of symbolic links")
}

// The temporary files that exist now, for RemoveTemporaries.
var (
	liveMu sync.Mutex
	live   = map[string]bool{}
)

func register(name string) {
	liveMu.Lock()
	live[name] = true
	liveMu.Unlock()
}

func unregister(name string) {
	liveMu.Lock()
	delete(live, name)
	liveMu.Unlock()
}

// RemoveTemporaries removes every temporary file (and backup) this
// process has not yet renamed or removed. A signal handler calls it
// before exiting, so an interrupted run leaves no `.NAME.tmp-*` behind.
func RemoveTemporaries() {
	commitMu.Lock()
	defer commitMu.Unlock()
	liveMu.Lock()
	defer liveMu.Unlock()
	for name := range live {
		os.Remove(name)
		delete(live, name)
	}
}
