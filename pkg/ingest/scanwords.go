package ingest

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/llamashare/llamashare/pkg/money"
)

// scanWords is scan for the commonest line, one without a quote and at
// most maxWordLine bytes long. scan finds each field's end from the end
// of the field before it, so every figure waits for the one before it to
// be read: one chain of dependent loads and branches per line. Here the
// line's end is found first (bytes.IndexByte), then a bitmap of its
// delimiters, eight bytes at a time with no branch but the loop's, and
// every field's bounds come from that bitmap: the amounts are then read
// independently of each other (money.ParseFixedField, the processor
// overlaps them) and each must fill its field. It reads exactly what scan
// reads; false when the line is anything else, and scan decides.
func (w *worker) scanWords(data []byte, q int, fig *[6]int64) (end int, ok bool) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || nl > maxWordLine || q >= 0 && q < nl {
		return 0, false
	}
	delim, sep := w.f.delim, w.f.d.l.decimal
	dm := uint64(delim) * swarOnes
	var bm [2]uint64 // bit i: byte i of the line is the delimiter
	i := 0
	for ; i+8 <= nl; i += 8 {
		z := zeroBytes(binary.LittleEndian.Uint64(data[i:]) ^ dm)
		bm[i>>6&1] |= (z >> 7 * movemask >> 56) << (i & 63)
	}
	if i < nl {
		if i+8 <= len(data) {
			z := zeroBytes(binary.LittleEndian.Uint64(data[i:]) ^ dm)
			z &= 1<<(8*(nl-i)) - 1 // the bytes of the line only
			bm[i>>6&1] |= (z >> 7 * movemask >> 56) << (i & 63)
		} else {
			for ; i < nl; i++ {
				if data[i] == delim {
					bm[i>>6&1] |= 1 << (i & 63)
				}
			}
		}
	}
	lo, hi, off := bm[0], bm[1], 0
	last := len(w.prog) - 1
	start := 0
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
		if f >= 0 {
			// The two commonest shapes at once (ParseFixedField's, inline:
			// a call per amount costs as much as reading it), the rest
			// through ParseFixedField.
			var v int64
			ok := false
			n := e - start
			lo := binary.LittleEndian.Uint64(data[max(e-8, 0):]) // the field's last bytes, when e >= 8
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

// maxWordLine bounds the lines scanWords reads: two words of bitmap.
const maxWordLine = 128

// movemask gathers the top bit of each byte of x>>7 (bits 0, 8, …, 56)
// into the top byte of the product: byte i's bit lands on bit 56+i, and
// no two partial products share a bit, so nothing carries.
const movemask = 0x0102040810204080

// The value of one unit and of one cent in fixed point.
const (
	units = 1_000_000 // 10^money.FixedScale
	cents = units / 100
)
