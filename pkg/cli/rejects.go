package cli

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/textsafe"
)

// rejectsWriter streams bad rows for --rejects (SPEC 4.4, 8) through
// atomic files. Each file's header is `file,line,reason` followed by the
// header of the input the rows came from, and each row is `file,line,
// reason` followed by its original fields, in the input's own delimiter:
// a fixed row can be fed back as it is (the reader skips the three
// leading columns). Inputs with different headers get different files:
// PATH for the first, then PATH with -2, -3… before the extension.
// They belong to the run's output set: finish flushes them, and they land
// with the run's other outputs or not at all, so a failed run leaves no
// rejects file behind (nor changes an earlier one). Memory stays bounded
// however many rows are rejected. Every cell is neutralised against
// formula injection (textsafe.CSVCell); the reader undoes it when the file
// is fed back (docs/SPEC.md 12, Output hygiene).
type rejectsWriter struct {
	path  string
	set   *atomicfile.Set
	first *atomicfile.File // PATH, opened before the run
	files []*rejectsFile   // in the order their headers came
	by    map[string]*rejectsFile
	n     int // rows written
}

type rejectsFile struct {
	f  *atomicfile.File
	bw *bufio.Writer
	w  *csv.Writer
}

var rejectsHeader = []string{"file", "line", "reason"}

// createRejects opens PATH in the run's output set, so that an
// unwritable path fails before the run.
func createRejects(set *atomicfile.Set, path string) (*rejectsWriter, error) {
	f, err := set.Create("--rejects", path)
	if err != nil {
		return nil, rejectsErr(err)
	}
	return &rejectsWriter{path: path, set: set, first: f, by: map[string]*rejectsFile{}}, nil
}

// rejectsErr says that an error is --rejects's.
func rejectsErr(err error) error {
	if strings.HasPrefix(err.Error(), "--rejects") {
		return err
	}
	return fmt.Errorf("--rejects: %v", err)
}

// numbered is the n-th rejects path: PATH itself for 1, else PATH with
// -n before its extension (rejects.csv → rejects-2.csv; a .gz keeps the
// extension before it: r.csv.gz → r-2.csv.gz).
func numbered(path string, n int) string {
	if n == 1 {
		return path
	}
	dir, base := filepath.Split(path)
	ext := filepath.Ext(base)
	if ext == ".gz" {
		ext = filepath.Ext(strings.TrimSuffix(base, ext)) + ext
	}
	if ext == base {
		ext = "" // a name such as ".rejects"
	}
	return dir + strings.TrimSuffix(base, ext) + "-" + strconv.Itoa(n) + ext
}

// file returns the rejects file of rows under header (delimited by
// comma), starting it with its header line when it is new.
func (r *rejectsWriter) file(header []string, comma rune) (*rejectsFile, error) {
	if comma == 0 {
		comma = ','
	}
	key := string(comma) + "\x00" + strings.Join(header, "\x00")
	if f := r.by[key]; f != nil {
		return f, nil
	}
	var af *atomicfile.File
	if len(r.files) == 0 {
		af = r.first
	} else {
		if r.path == "-" {
			return nil, fmt.Errorf("--rejects -: rows under a second header need a file of their own (rejects-2.csv): name a file")
		}
		var err error
		if af, err = r.set.Create("--rejects", numbered(r.path, len(r.files)+1)); err != nil {
			return nil, rejectsErr(err)
		}
	}
	f := &rejectsFile{f: af, bw: bufio.NewWriterSize(af, 64<<10)}
	f.w = csv.NewWriter(f.bw)
	f.w.Comma = comma
	r.files = append(r.files, f)
	r.by[key] = f
	if err := f.w.Write(textsafe.CSVRecord(append(append([]string(nil), rejectsHeader...), header...))); err != nil {
		return nil, fmt.Errorf("--rejects: %v", err)
	}
	return f, nil
}

// add writes one bad row; the reason is `column: reason` when the row has
// a column at fault, as on the command line.
func (r *rejectsWriter) add(b ingest.BadRow) error {
	f, err := r.file(b.Header, b.Comma)
	if err != nil {
		return err
	}
	reason := b.Reason
	if b.Column != "" {
		reason = b.Column + ": " + reason
	}
	rec := make([]string, 0, 3+len(b.Fields))
	rec = append(rec, b.Path, strconv.Itoa(b.Line), reason)
	rec = append(rec, b.Fields...)
	if err := f.w.Write(textsafe.CSVRecord(rec)); err != nil {
		return fmt.Errorf("--rejects: %v", err)
	}
	r.n++
	return nil
}

// paths lists the files written, PATH first.
func (r *rejectsWriter) paths() []string {
	if len(r.files) == 0 {
		return []string{r.path}
	}
	out := make([]string, len(r.files))
	for i, f := range r.files {
		out[i] = f.f.Path()
	}
	return out
}

// finish flushes every file's rows; the run's output set lands them.
// With no bad rows PATH holds the line `file,line,reason`.
func (r *rejectsWriter) finish() error {
	if len(r.files) == 0 {
		if _, err := r.file(nil, ','); err != nil {
			return err
		}
	}
	for _, f := range r.files {
		f.w.Flush()
		err := f.w.Error()
		if err == nil {
			err = f.bw.Flush()
		}
		if err != nil {
			return fmt.Errorf("--rejects: %v", err)
		}
	}
	return nil
}

// written says where the rejected rows went, for stderr.
func (r *rejectsWriter) written() string {
	return fmt.Sprintf("%s rejected, written to %s", count(r.n, "row"), strings.Join(r.paths(), ", "))
}
