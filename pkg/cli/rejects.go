package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"strconv"

	"github.com/llamashare/llamashare/pkg/report"
	"github.com/llamashare/llamashare/pkg/revenue"
)

// rejectsWriter collects bad rows for --rejects: `file,line,reason,` then
// the row's original fields.
type rejectsWriter struct {
	buf bytes.Buffer
	w   *csv.Writer
}

func newRejectsWriter() *rejectsWriter {
	r := &rejectsWriter{}
	r.w = csv.NewWriter(&r.buf)
	_ = r.w.Write([]string{"file", "line", "reason"})
	return r
}

func (r *rejectsWriter) add(b revenue.BadRow) error {
	reason := b.Reason
	if b.Column != "" {
		reason = b.Column + ": " + reason
	}
	rec := append([]string{b.Path, strconv.Itoa(b.Line), reason}, b.Fields...)
	return r.w.Write(rec)
}

// save writes the rejects file atomically.
func (r *rejectsWriter) save(path string) error {
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return err
	}
	return report.WriteFileAtomic(path, func(f *os.File) error {
		_, err := f.Write(r.buf.Bytes())
		return err
	})
}
