package cli

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/llamashare/llamashare/pkg/report"
	"github.com/llamashare/llamashare/pkg/revenue"
)

// rejectsWriter streams bad rows for --rejects (SPEC 4.4) through an
// atomic file: a header `file,line,reason`, then one record per bad row,
// `file,line,reason,` and the row's original fields. commit renames it into
// place; abort removes it, so a failed run leaves no rejects file behind
// (nor changes an earlier one). Memory stays bounded however many rows are
// rejected.
type rejectsWriter struct {
	f  *report.AtomicFile
	bw *bufio.Writer
	w  *csv.Writer
	n  int // rows written
}

func createRejects(path string) (*rejectsWriter, error) {
	f, err := report.CreateAtomic(path)
	if err != nil {
		return nil, fmt.Errorf("--rejects: %v", err)
	}
	r := &rejectsWriter{f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	r.w = csv.NewWriter(r.bw)
	if err := r.w.Write([]string{"file", "line", "reason"}); err != nil {
		r.abort()
		return nil, fmt.Errorf("--rejects: %v", err)
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
		return fmt.Errorf("--rejects: %v", err)
	}
	r.n++
	return nil
}

// commit flushes the rows and renames the file into place.
func (r *rejectsWriter) commit() error {
	r.w.Flush()
	err := r.w.Error()
	if err == nil {
		err = r.bw.Flush()
	}
	if err == nil {
		err = r.f.Commit()
	}
	if err != nil {
		r.abort()
		return fmt.Errorf("--rejects: %v", err)
	}
	return nil
}

// abort removes the temporary file; it is safe to call more than once,
// and after commit.
func (r *rejectsWriter) abort() { r.f.Abort() }
