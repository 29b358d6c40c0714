package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/llamashare/llamashare/pkg/workdir"
)

// CreateNew starts writing name, a regular file that must not exist yet
// (a ledger entry: written once, never replaced). It fails at once, with
// an error wrapping fs.ErrExist, when name exists. The file is written to
// a hidden temporary file beside it, registered like Create's.
func CreateNew(name string) (*File, error) {
	if _, err := os.Lstat(name); err == nil {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrExist)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", name, workdir.Cause(err))
	}
	register(tmp.Name())
	return &File{name: name, target: name, tmp: tmp}, nil
}

// CommitNew finishes a file of CreateNew with permissions perm and links
// it into place, which fails, with an error wrapping fs.ErrExist, when
// name appeared meanwhile: of two writers of one name exactly one wins,
// and the loser changes nothing. The folder is synced so the new name
// survives a crash. The temporary file is removed either way.
func (f *File) CommitNew(perm fs.FileMode) error {
	if f.direct || f.done {
		return fmt.Errorf("cannot write %s: not a new file being written", f.name)
	}
	defer f.Abort()
	if err := f.Finish(); err != nil {
		return err
	}
	if err := os.Chmod(f.tmp.Name(), perm); err != nil {
		return fmt.Errorf("cannot write %s: %v", f.name, workdir.Cause(err))
	}
	if err := os.Link(f.tmp.Name(), f.target); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", f.name, fs.ErrExist)
		}
		return fmt.Errorf("cannot write %s: %v", f.name, workdir.Cause(err))
	}
	if d, err := os.Open(filepath.Dir(f.target)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
