package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
)

// Parquet input (SPEC 11). A Parquet file is read one row group at a time,
// column by column, and each row is written out as the text a CSV report
// would hold — strings as they are, dates and timestamps as their (UTC)
// YYYY-MM-DD, integers and DECIMAL columns exactly from their unscaled
// integers, FLOAT/DOUBLE as the shortest decimal text that round-trips to
// the same binary value — into the very reader CSV files go through (the
// fast path included), so every format, check and count is the same.
// Memory is bounded by one row group. The sha256 of the input is that of
// the Parquet file's bytes.

// isParquet reports whether path names a Parquet file.
func isParquet(path string) bool {
	return strings.HasSuffix(strings.ToLower(path), ".parquet")
}

// readParquet is ReadFile for a Parquet file.
func readParquet(path string, opts Options, row func(*Row) error, bad func(BadRow)) (Input, error) {
	in := Input{Path: path}
	f, err := opts.Files.Open(path)
	if err != nil {
		return in, pqProblem(path, 0, "cannot open: "+ioMessage(err), "")
	}
	defer f.Close()
	pf, err := openParquet(path, f, &in)
	if err != nil {
		return in, err
	}
	cols, err := pqColumns(pf.Metadata())
	if err != nil {
		return in, pqProblem(path, 0, err.Error(), "")
	}
	d, err := parquetDecoder(path, opts, cols, &in)
	if err != nil {
		return in, err
	}
	used := make([]bool, len(cols))
	for _, c := range d.col {
		if c >= 0 {
			used[c] = true
		}
	}
	rd := &fileReader{path: path, d: d, row: row, bad: bad, in: &in}
	fst := newFast(d, opts)
	if fst != nil && !parquetAsText {
		// Typed columns straight into the fast path's sums (parquet_typed.go).
		return in, readParquetTyped(fst, rd, pf, cols, used)
	}
	return in, readParquetText(rd, fst, pf, cols, used, d.l.decimal)
}

func pqProblem(path string, line int, msg, hint string) error {
	return diag.Problem{Path: path, Line: line, Msg: msg, Hint: hint}
}

// openParquet reads the sha256 of f's bytes into in, then opens it as
// Parquet.
func openParquet(path string, f io.Reader, in *Input) (*parquet.File, error) {
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return nil, pqProblem(path, 0, "cannot read: "+ioMessage(err), "")
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	at, ok := f.(io.ReaderAt)
	if !ok {
		return nil, pqProblem(path, 0, "cannot read: not a file that allows random access", "")
	}
	pf, err := parquet.OpenFile(at, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, pqProblem(path, 0, "not a readable Parquet file: "+err.Error(), "")
	}
	return pf, nil
}

// parquetDecoder picks the layout of the file's columns and returns its
// decoder: the text of a row is CSV with ',' between fields; typed numbers
// carry the format's decimal separator, a typed date column is YYYY-MM-DD.
func parquetDecoder(path string, opts Options, cols []pqColumn, in *Input) (*decoder, error) {
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	l, err := pickParquetLayout(opts.Agreement, opts.Format, header)
	if err != nil {
		if p, ok := err.(diag.Problem); ok {
			p.Path = path
			return nil, p
		}
		return nil, pqProblem(path, 0, err.Error(), "")
	}
	in.Format = l.name
	pl := *l
	pl.delim, pl.skip = ',', 0
	d, missing, dups, ignored := newDecoder(opts.Agreement, &pl, header)
	if c := d.col[fDate]; c >= 0 && cols[c].kind != pqText {
		pl.date = nil
	}
	if len(dups) > 0 {
		return nil, pqProblem(path, 1, fmt.Sprintf("duplicate %s %s", plural(len(dups), "column"), quoteList(dups)), "")
	}
	if len(ignored) > 0 && opts.Warn != nil {
		// The CSV reader's warning (SPEC 8: "did you mean", a format's
		// ignore_columns), before missing columns, which it may explain.
		opts.Warn(path + ": " + d.ignoredWarning(ignored))
	}
	if len(missing) > 0 {
		found := make([]string, len(header))
		for i, h := range header {
			found[i] = fmt.Sprintf("%q", h)
		}
		return nil, pqProblem(path, 1,
			fmt.Sprintf("missing required %s %s", plural(len(missing), "column"), strings.Join(missing, ", ")),
			fmt.Sprintf("read as format %s, the Parquet columns are %s", l.name, strings.Join(found, ", ")))
	}
	return d, nil
}

// parquetAsText makes the fast path read Parquet as CSV text, as it did
// before the typed path: the tests' reference.
var parquetAsText = false

// readParquetText reads the rows as CSV text, through the fast path fst
// when not nil, else the general decoder.
func readParquetText(rd *fileReader, fst *fast, pf *parquet.File, cols []pqColumn, used []bool, dec byte) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := writeParquetText(pf, cols, used, dec, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	var err error
	if fst != nil {
		err = fst.read(rd, pr, 1)
	} else {
		err = rd.slow(pr, 1)
	}
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if reading stopped early
	werr := <-done
	if err != nil {
		if werr != nil && werr != io.ErrClosedPipe {
			return pqProblem(rd.path, 0, "cannot read Parquet: "+werr.Error(), "")
		}
		return err
	}
	if werr != nil {
		return pqProblem(rd.path, 0, "cannot read Parquet: "+werr.Error(), "")
	}
	return nil
}

// pickParquetLayout is pickLayout for a header known as column names: the
// declared format all of whose mapped headers are present (most wins; a
// tie is an error), else the canonical columns.
func pickParquetLayout(a *agreement.Agreement, forced string, header []string) (*layout, error) {
	if forced != "" {
		return pickLayout(a, forced, ',', nil)
	}
	hdr := make(map[string]bool, len(header))
	for _, h := range header {
		hdr[key(h)] = true
	}
	canonical := func() *layout { return canonicalLayout(',') }
	return bestLayout(a, formatNames(a), ',', "the columns match", canonical, func(*layout) map[string]bool { return hdr })
}
