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
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/llamashare/llamashare/pkg/diag"
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

// MkdirAll creates the folder name and its missing parents.
func (d Dir) MkdirAll(name string, perm os.FileMode) error {
	return d.named(os.MkdirAll(d.Join(name), perm), name)
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

// FSPath is name as an fs.FS names it: slash-separated and cleaned
// ("./a/../b.csv" is "b.csv").
func FSPath(name string) string {
	return path.Clean(filepath.ToSlash(name))
}

// Source is where a run's files are read from: FS when it is set (an
// embedding program's files, or a test's in memory), else the file system
// with relative paths taken from Dir.
type Source struct {
	Dir Dir
	FS  fs.FS
}

// Open opens name for reading.
func (s Source) Open(name string) (fs.File, error) {
	if s.FS != nil {
		return s.FS.Open(FSPath(name))
	}
	return s.Dir.Open(name)
}

// Key names the file name opens, whatever its spelling: two names with
// the same key are one file. On the file system it is the absolute path
// with symbolic links followed (as far as they resolve).
func (s Source) Key(name string) string {
	if name == "-" {
		return name
	}
	if s.FS != nil {
		return FSPath(name)
	}
	p, err := s.Dir.Abs(name)
	if err != nil {
		return filepath.Clean(s.Dir.Join(name))
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// OnceEach refuses a file named twice (the same Key), as the first name
// that repeats an earlier one: `NAME: <what> given twice (also as
// EARLIER): its <rows> would count twice`, with hint.
func (s Source) OnceEach(names []string, what, rows, hint string) error {
	seen := map[string]string{}
	for _, n := range names {
		k := s.Key(n)
		prev, ok := seen[k]
		if !ok {
			seen[k] = n
			continue
		}
		also := ""
		if prev != n {
			also = fmt.Sprintf(" (also as %s)", prev)
		}
		return diag.Problem{Path: n, Msg: what + " given twice" + also + ": its " + rows + " would count twice", Hint: hint}
	}
	return nil
}

// Cause is err without the path it names: the cause of a path or link
// error ("no such file or directory"), else err itself. Messages put the
// path as the user gave it in front.
func Cause(err error) error {
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
