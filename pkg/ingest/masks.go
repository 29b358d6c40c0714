package ingest

import (
	"encoding/binary"
	"math/bits"
)

// lineMasks holds bitmaps of a block's delimiters and line ends, one bit
// per byte, made a window at a time (masks_amd64.s: 64 bytes in a few
// vector instructions, where the processor has AVX2; eight bytes at a
// time otherwise). scanWords takes a line's field bounds from them: no
// search per line, no loop per field.
type lineMasks struct {
	data  []byte
	delim byte
	base  int      // the byte of data that bit 0 of d[0] and n[0] stands for
	d, n  []uint64 // per 64 bytes from base: the delimiters, the '\n's
}

// maskWindow is how many bytes of a block a window of bitmaps covers.
const maskWindow = 16 << 10

// reset starts on a block.
func (m *lineMasks) reset(data []byte, delim byte) {
	m.data, m.delim, m.base = data, delim, 0
	m.d, m.n = m.d[:0], m.n[:0]
}

// line returns the line that starts at p: the delimiters before its '\n'
// as bits from p (lo for bytes p to p+63, hi for the next 64) and the
// index of the '\n' from p; ok is false when the line does not end within
// 128 bytes of p (a '\n' beyond the end of the data does not
// count).
func (m *lineMasks) line(p int) (lo, hi uint64, nl int, ok bool) {
	k := (p - m.base) >> 6
	if k+3 > len(m.d) {
		m.fill(p)
		k = 0
	}
	s := uint(p-m.base) & 63
	d, n := m.d[k:k+3], m.n[k:k+3]
	nlo := n[0]>>s | n[1]<<(64-s)
	nhi := n[1]>>s | n[2]<<(64-s)
	lo = d[0]>>s | d[1]<<(64-s)
	hi = d[1]>>s | d[2]<<(64-s)
	switch {
	case nlo != 0:
		nl = bits.TrailingZeros64(nlo)
		return lo & (1<<nl - 1), 0, nl, true
	case nhi != 0:
		nl = 64 + bits.TrailingZeros64(nhi)
		return lo, hi & (1<<(nl-64) - 1), nl, true
	}
	return 0, 0, 0, false
}

// fill makes the bitmaps of the window that starts at the 64 bytes
// holding p, and of two words more: bytes past the end of the data have
// no bit.
func (m *lineMasks) fill(p int) {
	m.base = p &^ 63
	words := maskWindow/64 + 2
	if cap(m.d) < words {
		m.d, m.n = make([]uint64, words), make([]uint64, words)
	}
	m.d, m.n = m.d[:words], m.n[:words]
	full := min(words, (len(m.data)-m.base)>>6)
	if full > 0 {
		masks(m.data[m.base:m.base+64*full], m.delim, m.d[:full], m.n[:full])
	}
	for i := max(full, 0); i < words; i++ {
		var dm, nm uint64
		for j, c := range m.data[min(m.base+64*i, len(m.data)):min(m.base+64*i+64, len(m.data))] {
			if c == m.delim {
				dm |= 1 << j
			}
			if c == '\n' {
				nm |= 1 << j
			}
		}
		m.d[i], m.n[i] = dm, nm
	}
}

// masksSWAR is masks eight bytes at a time: bit j of d[i] is set when
// data[64i+j] is delim, of n[i] when it is '\n'.
func masksSWAR(data []byte, delim byte, d, n []uint64) {
	dm := uint64(delim) * swarOnes
	const nm = uint64('\n') * swarOnes
	for i := range d {
		var dw, nw uint64
		for j := 0; j < 64; j += 8 {
			x := binary.LittleEndian.Uint64(data[64*i+j:])
			dw |= (zeroBytes(x^dm) >> 7 * movemask >> 56) << j
			nw |= (zeroBytes(x^nm) >> 7 * movemask >> 56) << j
		}
		d[i], n[i] = dw, nw
	}
}

// movemask gathers the top bit of each byte of x>>7 (bits 0, 8, …, 56)
// into the top byte of the product: byte i's bit lands on bit 56+i, and
// no two partial products share a bit, so nothing carries.
const movemask = 0x0102040810204080
