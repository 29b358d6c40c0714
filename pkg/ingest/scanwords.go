package ingest

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/llamashare/llamashare/pkg/money"
)

// scanWords is scan for the commonest line: one whose quotes, if any,
// each open or close a whole text field (see unquoteField), at most
// 127 bytes long (two words of bitmap), at data[p]. scan finds each
// field's end from the end of the field before it, so every figure waits
// for the one before it to be read: one chain of dependent loads and
// branches per line. Here the line's end and its delimiters come from the
// block's bitmaps (w.masks), every field's bounds from those bits, and
// each amount is read from the words that end at its field's end,
// independently of the others (the processor overlaps them): it must fill
// its field. scanWords reads exactly what scan reads
// (TestScanWordsEqualsScan); false when the line is anything else, and
// scan decides. end is the index of the line's newline from p.
func (w *worker) scanWords(data []byte, p, q int, fig *[6]int64) (end int, ok bool) {
	lo, hi, nl, ok := w.masks.line(p)
	if !ok {
		return 0, false
	}
	quoted := q >= 0 && q < nl
	data = data[p:]
	sep := w.f.d.l.decimal
	last, off, start := len(w.prog)-1, 0, 0
	for c, f := range w.prog {
		e := nl
		if c < last {
			if lo == 0 {
				if hi == 0 {
					return 0, false // too few fields
				}
				lo, hi, off = hi, 0, 64
			}
			e = off + bits.TrailingZeros64(lo)
			lo &= lo - 1
		} else {
			if lo|hi != 0 {
				return 0, false // too many fields
			}
			if e > start && data[e-1] == '\r' {
				e--
			}
		}
		w.starts[c], w.ends[c] = int32(start), int32(e)
		if quoted && f < 0 && !w.unquoteField(data, c, start, e) {
			return 0, false
		}
		if f >= 0 {
			// The two commonest shapes at once (ParseFixedField's, inline:
			// a call per amount costs as much as reading it), the rest
			// through ParseFixedField.
			var v int64
			ok := false
			n := e - start
			var lo uint64 // the field's last bytes (and bytes before it)
			if e >= 8 {
				lo = binary.LittleEndian.Uint64(data[e-8:])
			}
			switch {
			case n >= 3 && n <= 8 && e >= 8 && byte(lo>>40) == sep:
				// Two decimals: close the separator's gap.
				y := lo&0xffff_0000_0000_0000 | lo<<8&0x0000_ffff_ffff_ff00
				if ok = money.NonDigits(y)&money.TopBytes(n-1) == 0; ok {
					v = int64(money.TopDigits(y, n-1)) * cents
				}
			case n > 8 && n <= 12 && e >= 16 && money.NonDigits(lo) == 0:
				// Nine to twelve digits alone (units).
				hi := binary.LittleEndian.Uint64(data[e-16:])
				if ok = money.NonDigits(hi)&money.TopBytes(n-8) == 0; ok {
					v = int64(money.TopDigits(hi, n-8)*100_000_000+money.TopDigits(lo, 8)) * units
				}
			}
			if !ok {
				if v, ok = money.ParseFixedField(data, start, e, sep); !ok {
					return 0, false
				}
			}
			fig[f] = v * w.sign[f]
		}
		start = e + 1
	}
	return nl, true
}

// unquoteField moves text field c's bounds [start, e) inside its quotes
// when it is one quoted field holding no quote and no line end, as scan
// reads it; true also for a field without any quote. False for any other
// quote (a bare quote mid-field, doubled quotes): scan decides. An amount
// with a quote fails to parse, and a quoted delimiter splits its field, so
// the line has a field too many: every quote of an accepted line is one
// of these.
func (w *worker) unquoteField(data []byte, c, start, e int) bool {
	b := data[start:e]
	if len(b) == 0 {
		return true
	}
	if b[0] != '"' {
		return bytes.IndexByte(b, '"') < 0
	}
	if len(b) < 2 || b[len(b)-1] != '"' {
		return false
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '"') >= 0 || hasLineEnd(in) {
		return false
	}
	w.starts[c], w.ends[c] = int32(start+1), int32(e-1)
	return true
}

// The value of one unit and of one cent in fixed point.
const (
	units = 1_000_000 // 10^money.FixedScale
	cents = units / 100
)
