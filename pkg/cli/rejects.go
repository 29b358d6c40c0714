package cli

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/llamashare/llamashare/pkg/revenue"
)

// rejectsWriter streams bad rows for --rejects (SPEC 4.4) to a temporary
// file in the folder of the rejects file: a header `file,line,reason`,
// then one record per bad row, `file,line,reason,` and the row's original
// fields. commit renames it into place; abort removes it, so a failed run
// leaves no rejects file behind (nor changes an earlier one). Memory stays
// bounded however many rows are rejected.
type rejectsWriter struct {
	path string
	tmp  *os.File
	bw   *bufio.Writer
	w    *csv.Writer
	n    int // rows written
}

func createRejects(path string) (*rejectsWriter, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("--rejects: cannot write %s: is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("--rejects: cannot write %s: %v", path, pathErr(err))
	}
	r := &rejectsWriter{path: path, tmp: tmp, bw: bufio.NewWriterSize(tmp, 64<<10)}
	r.w = csv.NewWriter(r.bw)
	if err := r.w.Write([]string{"file", "line", "reason"}); err != nil {
		r.abort()
		return nil, err
	}
	return r, nil
}

// add writes one bad row; the reason is `column: reason` when the row has
// a column at fault, as on the command line.
func (r *rejectsWriter) add(b revenue.BadRow) error {
	reason := b.Reason
	if b.Column != "" {
		reason = b.Column + ": " + reason
	}
	rec := make([]string, 0, 3+len(b.Fields))
	rec = append(rec, b.Path, strconv.Itoa(b.Line), reason)
	rec = append(rec, b.Fields...)
	if err := r.w.Write(rec); err != nil {
		return fmt.Errorf("--rejects: cannot write %s: %v", r.path, pathErr(err))
	}
	r.n++
	return nil
}

// commit flushes the rows and renames the file into place.
func (r *rejectsWriter) commit() error {
	fail := func(err error) error {
		r.abort()
		return fmt.Errorf("--rejects: cannot write %s: %v", r.path, pathErr(err))
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return fail(err)
	}
	if err := r.bw.Flush(); err != nil {
		return fail(err)
	}
	if err := r.tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := r.tmp.Close(); err != nil {
		return fail(err)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(r.path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.Chmod(r.tmp.Name(), mode); err != nil {
		return fail(err)
	}
	if err := os.Rename(r.tmp.Name(), r.path); err != nil {
		return fail(err)
	}
	return nil
}

// abort removes the temporary file; it is safe to call more than once.
func (r *rejectsWriter) abort() {
	if r.tmp != nil {
		r.tmp.Close()
		os.Remove(r.tmp.Name())
		r.tmp = nil
	}
}

// pathErr is err without the operation and path it repeats.
func pathErr(err error) error {
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
