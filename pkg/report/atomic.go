package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// AtomicFile is an output file written through a temporary file and
// renamed into place on Commit (package atomicfile, which every writer
// shares).
type AtomicFile = atomicfile.File

// CreateAtomic starts writing path (atomicfile.Create).
func CreateAtomic(path string) (*AtomicFile, error) { return atomicfile.Create(path) }

// CheckDir reports at once a folder that WriteStatementFiles could not
// create: dir, or the nearest of its parents that exists, is not a folder.
// Commands call it before a long run rather than fail at its end.
func CheckDir(dir string) error { return CheckDirIn("", dir) }

// CheckDirIn is CheckDir with a relative dir taken from the folder wd;
// messages name the folders as given.
func CheckDirIn(wd workdir.Dir, dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Stat(wd.Join(p))
		switch {
		case err == nil && !fi.IsDir():
			return fmt.Errorf("cannot write %s: not a directory", p)
		case err == nil:
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("cannot write %s: %v", p, workdir.Cause(err))
		case p == filepath.Dir(p):
			return nil
		}
	}
}

// WriteFileAtomic writes the output of write to path through an
// AtomicFile: a failed run never creates or changes path. For a device
// or a FIFO, f is the file itself.
func WriteFileAtomic(path string, write func(f *os.File) error) error {
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		f := w.(*atomicfile.File).File()
		if f == nil {
			return fmt.Errorf("cannot write %s here", path)
		}
		return write(f)
	})
}
