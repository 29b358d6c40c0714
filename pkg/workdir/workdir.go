// Package workdir resolves the relative paths a run is given against an
// explicit working folder instead of the process's, so that one process
// can run commands for several folders at once (check runs each fixture
// inside its own folder, in parallel) without os.Chdir.
//
// A path keeps its own spelling for messages and results; only the
// file opened is the resolved one, and errors name the path as given, as
// they would after a chdir.
package workdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is the folder relative paths are resolved against; "" is the
// process's working folder.
type Dir string

// Join returns the path the process opens for name: name itself when it
// is absolute, is "-" (standard input or output) or "", or when d is "".
func (d Dir) Join(name string) string {
	if d == "" || name == "" || name == "-" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(string(d), name)
}

// Open opens name for reading.
func (d Dir) Open(name string) (*os.File, error) {
	f, err := os.Open(d.Join(name))
	return f, d.named(err, name)
}

// ReadFile reads the whole of name.
func (d Dir) ReadFile(name string) ([]byte, error) {
	b, err := os.ReadFile(d.Join(name))
	return b, d.named(err, name)
}

// ReadDir lists the folder name, sorted by file name.
func (d Dir) ReadDir(name string) ([]os.DirEntry, error) {
	es, err := os.ReadDir(d.Join(name))
	return es, d.named(err, name)
}

// Stat describes name, following symbolic links.
func (d Dir) Stat(name string) (os.FileInfo, error) {
	fi, err := os.Stat(d.Join(name))
	return fi, d.named(err, name)
}

// Abs is name made absolute against d (or the process's working folder).
func (d Dir) Abs(name string) (string, error) {
	return filepath.Abs(d.Join(name))
}

// named puts name back into a *fs.PathError about its resolved path.
func (d Dir) named(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == d.Join(name) && pe.Path != name {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}
