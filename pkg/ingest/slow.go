package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/llamashare/llamashare/pkg/diag"
)

// The general decoder: encoding/csv reads records, decode (decode.go)
// reads their fields, row by row. The fast path (fast.go) hands it the
// rows it is not sure of; a layout the fast path cannot split at all goes
// through it whole.

// MaxRecord bounds one record (a line, or lines joined by a quoted field):
// reading stops with an error beyond it, so memory stays bounded whatever
// a file holds.
const MaxRecord = 1 << 20

var errRecordTooLong = fmt.Errorf("record longer than %d MiB", MaxRecord>>20)

// recordLimit fails a read once more than MaxRecord bytes (and a reader's
// buffer) have gone by since the reader of records last took one.
type recordLimit struct {
	r io.Reader
	n int
}

func (l *recordLimit) Read(b []byte) (int, error) {
	if l.n > MaxRecord+64<<10 {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(b)
	l.n += n
	return n, err
}

// fileReader hands one file's rows to the callbacks of ReadFile.
type fileReader struct {
	path string
	d    *decoder
	row  func(*Row) error
	bad  func(BadRow)
	in   *Input
	r    Row
}

// slow reads the rows from r with encoding/csv, base being the physical
// line before r's first byte. It handles everything: quoting, ragged
// rows, every form of amount and date.
func (rd *fileReader) slow(r io.Reader, base int) error {
	d, l := rd.d, rd.d.l
	// encoding/csv holds a whole record in memory: bound it.
	lim := &recordLimit{r: r}
	r = lim
	cr := csv.NewReader(r)
	cr.Comma = l.delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	next := base + 1 // the line the next record starts on, as far as is known
	for {
		rec, err := cr.Read()
		lim.n = 0
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, errRecordTooLong) {
			// The record starts after the last one read (FieldPos has no
			// fields to tell after such an error).
			return diag.Problem{Path: rd.path, Line: next, Msg: err.Error(),
				Hint: "a line or quoted field this long is not a revenue row; is the file a report, and are its quotes balanced?"}
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) || (pe.Err != csv.ErrBareQuote && pe.Err != csv.ErrQuote) {
				return diag.Problem{Path: rd.path, Msg: "cannot read: " + ioMessage(err)}
			}
			// A quoting error spoils one record: the reader goes on
			// with the next line.
			rd.in.Rows++
			column := ""
			if len(rec) < len(d.header) {
				column = d.header[len(rec)]
			}
			rd.bad(BadRow{Path: rd.path, Line: base + pe.StartLine, Column: column, Reason: pe.Err.Error(), Header: d.raw, Comma: l.delim})
			continue
		}
		if l.footer != "" && strings.HasPrefix(strings.TrimSpace(rec[0]), l.footer) {
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		end, _ := cr.FieldPos(len(rec) - 1)
		next = base + end + 1
		rd.in.Rows++
		if err := rd.one(base+line, rec); err != nil {
			return err
		}
	}
}

// one decodes a counted row and hands it to row or bad.
func (rd *fileReader) one(line int, rec []string) error {
	d := rd.d
	if d.rejects {
		rec = uncells(rec)
	}
	rd.r = Row{Line: line, Fields: rec, dec: d}
	c, reason := d.decode(rec, &rd.r)
	if reason != "" {
		column := ""
		if c >= 0 {
			column = d.header[c]
		}
		rd.bad(BadRow{Path: rd.path, Line: line, Column: column, Reason: reason, Fields: append([]string(nil), rec...), Header: d.raw, Comma: d.l.delim})
		return nil
	}
	return rd.row(&rd.r)
}

// blank reports whether every field is empty or spaces (`,,,` lines that
// spreadsheets write): no data, not a row.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
