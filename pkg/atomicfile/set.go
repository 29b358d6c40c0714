package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/llamashare/llamashare/pkg/workdir"
)

// Set is the outputs of one run: all of them land, or none does. Inputs
// are declared first (Input); Create then refuses an output that is one
// of them or another output of the set.
type Set struct {
	Stdout io.Writer // what "-" writes to (os.Stdout when nil)
	// Dir is the folder relative names (of inputs, outputs and Within)
	// are taken from: "" for the process's working folder. Messages name
	// the files as given.
	Dir workdir.Dir

	inputs []named
	outs   []named
	files  []*File
	dirs   []string // folders the set created, parents first
	within string   // when set, every output must resolve inside it
}

// named is a file with what it is for, for messages.
type named struct {
	role, name string
	id         identity
}

// identity tells whether two names are the same file: by device and
// inode when it exists, else by its absolute path with links followed.
type identity struct {
	fi   fs.FileInfo
	path string
}

func identify(name string) identity {
	if fi, err := os.Stat(name); err == nil {
		return identity{fi: fi}
	}
	return identity{path: resolve(name)}
}

// resolve returns name's absolute path with every symbolic link followed
// (its folders' and its own), whether or not it exists.
func resolve(name string) string {
	p, err := followLinks(name)
	if err != nil {
		p = name
	}
	dir, base := filepath.Split(p)
	if dir == "" {
		dir = "."
	}
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	if d, err := filepath.Abs(dir); err == nil {
		dir = d
	}
	return filepath.Join(dir, base)
}

func (a identity) same(b identity) bool {
	if a.fi != nil || b.fi != nil {
		return a.fi != nil && b.fi != nil && os.SameFile(a.fi, b.fi)
	}
	return a.path == b.path
}

// special reports a device: writing to one twice, or reading one that is
// also written (/dev/null), harms nothing, and two names of a terminal
// are one terminal.
func (a identity) special() bool {
	return a.fi != nil && a.fi.Mode()&fs.ModeDevice != 0
}

// Input declares a file the run reads, as role ("input", "agreement",
// "fx rates"...): Create refuses to write it. "-" (standard input) and
// "" are ignored.
func (s *Set) Input(role, name string) {
	if name == "" || name == "-" {
		return
	}
	s.inputs = append(s.inputs, named{role, name, identify(s.Dir.Join(name))})
}

// Within makes Create refuse any output that does not resolve, with
// symbolic links followed, inside dir.
func (s *Set) Within(dir string) { s.within = dir }

// Create starts writing name, an output for role ("--out",
// "--rejects"...). It refuses, before anything is written, an output that
// is an input of the run or another of its outputs (the same file after
// links are followed), and fails at once when name cannot be written.
func (s *Set) Create(role, name string) (*File, error) {
	return s.CreateIn("", role, name)
}

// CreateIn is Create for an output that must also resolve, with links
// followed, inside dir (a statement inside --dir).
func (s *Set) CreateIn(dir, role, name string) (*File, error) {
	if dir != "" {
		if err := inside(s.Dir.Join(dir), s.Dir.Join(name)); err != nil {
			return nil, fmt.Errorf("cannot write %s: %v", name, err)
		}
	}
	if err := s.check(role, name); err != nil {
		return nil, err
	}
	f, err := create(name, s.Dir.Join(name), s.Stdout)
	if err != nil {
		return nil, err
	}
	s.files = append(s.files, f)
	return f, nil
}

// check refuses an output that would harm an input or another output.
func (s *Set) check(role, name string) error {
	if name == "-" {
		for _, o := range s.outs {
			if o.name == "-" {
				return fmt.Errorf("%s -: standard output is already %s", role, o.role)
			}
		}
		s.outs = append(s.outs, named{role, name, identity{path: "-"}})
		return nil
	}
	id := identify(s.Dir.Join(name))
	if !id.special() {
		for _, in := range s.inputs {
			if id.same(in.id) {
				return fmt.Errorf("%s %s: is the %s %s; an output must not overwrite what the run reads", role, name, in.role, in.name)
			}
		}
		for _, o := range s.outs {
			if id.same(o.id) {
				return fmt.Errorf("%s %s: is the same file as %s %s; each output needs its own file", role, name, o.role, o.name)
			}
		}
	}
	if s.within != "" {
		if err := inside(s.Dir.Join(s.within), s.Dir.Join(name)); err != nil {
			return fmt.Errorf("%s %s: %v", role, name, err)
		}
	}
	s.outs = append(s.outs, named{role, name, id})
	return nil
}

// inside checks that name, with links followed, is inside dir.
func inside(dir, name string) error {
	root := dir
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		root = r
	}
	if r, err := filepath.Abs(root); err == nil {
		root = r
	}
	path := resolve(name)
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return fmt.Errorf("resolves to %s, outside %s", path, dir)
	}
	return nil
}

// MkdirAll creates dir (relative to Dir) and its missing parents,
// remembering which it created so that Abort removes them again.
// Messages name the folders as given.
func (s *Set) MkdirAll(dir string) error {
	var missing []string
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(s.Dir.Join(p))
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("cannot write %s: not a directory", p)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot write %s: %v", p, workdir.Cause(err))
		}
		missing = append(missing, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(s.Dir.Join(missing[i]), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("cannot create %s: %v", missing[i], workdir.Cause(err))
		}
		s.dirs = append(s.dirs, s.Dir.Join(missing[i]))
	}
	return nil
}

// commitMu keeps RemoveTemporaries from removing a backup while a Set is
// between its renames.
var commitMu sync.Mutex

// Commit flushes every file to disk, then renames each into place. When
// a rename fails, the files renamed before it are put back as they were
// (or removed, when new), so that either every output lands or none does.
func (s *Set) Commit() error {
	for _, f := range s.files {
		if err := f.Finish(); err != nil {
			s.Abort()
			return err
		}
	}
	commitMu.Lock()
	defer commitMu.Unlock()
	type undo struct {
		target, backup string // backup "" = the target did not exist
	}
	var done []undo
	restore := func() {
		for i := len(done) - 1; i >= 0; i-- {
			u := done[i]
			if u.backup != "" {
				os.Rename(u.backup, u.target)
				unregister(u.backup)
			} else {
				os.Remove(u.target)
			}
		}
	}
	for _, f := range s.files {
		if f.direct || f.done {
			continue
		}
		backup, err := keep(f.target)
		if err == nil {
			err = os.Rename(f.tmp.Name(), f.target)
			if err != nil && backup != "" {
				os.Remove(backup)
				unregister(backup)
			}
		}
		if err != nil {
			restore()
			s.abort()
			return fmt.Errorf("cannot write %s: %v", f.name, workdir.Cause(err))
		}
		unregister(f.tmp.Name())
		f.done = true
		done = append(done, undo{f.target, backup})
	}
	for _, u := range done {
		if u.backup != "" {
			os.Remove(u.backup)
			unregister(u.backup)
		}
	}
	for _, f := range s.files {
		f.done = true
	}
	s.dirs = nil // they hold the outputs now
	return nil
}

// keep makes a second name for target's current content (a hard link),
// so that it can be put back; "" when target does not exist.
func keep(target string) (string, error) {
	if _, err := os.Lstat(target); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		return "", err
	}
	for i := 0; ; i++ {
		b, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".bak-*")
		if err != nil {
			return "", err
		}
		name := b.Name()
		b.Close()
		os.Remove(name)
		err = os.Link(target, name)
		if err == nil {
			register(name)
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) || i > 10 {
			// No hard links here: the set is still staged as a whole,
			// only a late failure could not be undone.
			return "", nil
		}
	}
}

// Abort removes every temporary file and the folders the set created
// (when empty); the targets are as they were.
func (s *Set) Abort() {
	s.abort()
}

func (s *Set) abort() {
	for _, f := range s.files {
		f.Abort()
	}
	for i := len(s.dirs) - 1; i >= 0; i-- {
		os.Remove(s.dirs[i]) // only when empty
	}
	s.dirs = nil
}
