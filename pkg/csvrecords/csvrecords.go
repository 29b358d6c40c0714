// Package csvrecords reads the records of a small CSV file (fx rates,
// payments) one at a time, going on past a record that does not parse:
// the loop those readers shared.
package csvrecords

import (
	"encoding/csv"
	"errors"
	"io"
)

// Each reads cr's records to the end, calling row with each record and
// the line it starts on. A record that does not parse (a quoting error
// spoils one record) goes to bad with the line it starts on and the
// reason, and reading goes on. Each stops at the first error row or bad
// returns, and returns it, or at a read error that is not a parse error,
// and returns it as a *ReadError.
func Each(cr *csv.Reader, row func(rec []string, line int) error, bad func(line int, reason string) error) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return &ReadError{Err: err}
			}
			if err := bad(pe.StartLine, pe.Err.Error()); err != nil {
				return err
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if err := row(rec, line); err != nil {
			return err
		}
	}
}

// ReadError is an error reading the file (not one of a record's fields,
// nor one the callbacks returned).
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }
