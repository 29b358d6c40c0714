package ingest

import (
	"encoding/binary"
	"math/bits"

	"github.com/llamashare/llamashare/pkg/money"
)

// One pass over a plain line (issue 17: bytes per core). Most lines of a
// report are unquoted, with exactly the header's fields and amounts in the
// plain form: scan finds such a line's fields and reads its amounts in the
// same pass over its bytes (split, then ParseFixedSep on each figure,
// looked at every byte twice), key fields in quotes included. A line that
// is anything else goes the longer way (split and row, or the quoted
// path), which decides; scan only reads what that way would read the
// same.

// scanProgram returns, per column, the figure (0..5: gross … units) the
// column holds or -1, with the figures' signs; nil when scan does not read
// the layout: a ledger (a row's figure is in its kind), a footer prefix
// (checked on the first field), or a decimal separator that is also the
// delimiter.
func scanProgram(d *decoder, delim byte) (prog []int8, sign [6]int64) {
	l := d.l
	if l.ledger || l.footer != "" || l.decimal == delim {
		return nil, sign
	}
	prog = make([]int8, d.nf)
	for i := range prog {
		prog[i] = -1
	}
	for f := firstFigure; f <= lastFigure; f++ {
		sign[f-firstFigure] = 1
		if l.negate[f] {
			sign[f-firstFigure] = -1
		}
		if col := d.col[f]; col >= 0 {
			prog[col] = int8(f - firstFigure)
		}
	}
	return prog, sign
}

// scan reads the line at the start of data: each field's bounds go to
// w.starts and w.ends (a final '\r' left out; a quoted field's inside its
// quotes), each figure column's amount to fig (signed as the format says;
// a figure without a column stays as it was). q is the index of the first
// '"' in data, or -1. It returns the index of the line's '\n' (len(data)
// when it runs to the end); ok is false when the line does not have
// exactly nf fields, a figure is not a plain amount (empty, spaces,
// grouped, quoted, …), or a quote is anything but a whole key field's,
// around text without a quote or line end.
func (w *worker) scan(data []byte, q int, fig *[6]int64) (end int, ok bool) {
	delim, sep := w.f.delim, w.f.d.l.decimal
	dm := uint64(delim) * swarOnes
	if q < 0 {
		q = len(data)
	}
	last := len(w.prog) - 1
	i := 0
	for c, f := range w.prog {
		w.starts[c] = int32(i)
		switch {
		case f >= 0:
			// A quote in an amount stops it: the check after it fails.
			v, n, ok := money.ParseFixedPrefix(data[i:], sep)
			if !ok {
				return 0, false
			}
			fig[f] = v * w.sign[f]
			i += n
			w.ends[c] = int32(i)
		case i == q && q < len(data):
			// A quoted field, as encoding/csv reads it when it holds no
			// quote and no line end.
			j := indexFrom(data, i+1, '"')
			if j < 0 || hasLineEnd(data[i+1:j]) {
				return 0, false
			}
			w.starts[c], w.ends[c] = int32(i+1), int32(j)
			i = j + 1
			if q = indexFrom(data, i, '"'); q < 0 {
				q = len(data)
			}
		default:
			i = fieldEnd(data, i, delim, dm)
			if q < i {
				return 0, false // a bare quote
			}
			w.ends[c] = int32(i)
			if c == last && i > int(w.starts[c]) && data[i-1] == '\r' {
				w.ends[c]--
			}
		}
		if c < last {
			if i >= len(data) || data[i] != delim {
				return 0, false
			}
			i++
		}
	}
	switch {
	case i == len(data) || data[i] == '\n':
		return i, true
	case data[i] == '\r' && (i+1 == len(data) || data[i+1] == '\n'):
		return i + 1, true
	}
	return 0, false
}

// hasLineEnd reports a '\n' or '\r' in b.
func hasLineEnd(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// fieldEnd returns the index of the first delimiter or '\n' at or after i
// (len(data) when none), eight bytes at a time; dm is delim in each byte.
func fieldEnd(data []byte, i int, delim byte, dm uint64) int {
	const nm = uint64('\n') * swarOnes
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		if m := zeroBytes(x^dm) | zeroBytes(x^nm); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(data); i++ {
		if c := data[i]; c == delim || c == '\n' {
			return i
		}
	}
	return i
}
