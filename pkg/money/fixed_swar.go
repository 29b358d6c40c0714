package money

import "encoding/binary"

// ParseFixedField is ParseFixedSep(data[s:e], sep) for a field whose
// bounds are known, read a word at a time (issue 17: bytes per core). The
// two shapes nearly every amount of a report has, digits alone (`1349805000`)
// and digits with two decimals (`310.30`), are checked and read from the
// eight or sixteen bytes that end at e, with no loop and no branch per
// digit: a mask of the bytes that are not digits, then the digits' value
// by three multiplications. Anything else (a sign, other decimals, more
// than 15 bytes, a field in the first 16 bytes of data) is read by
// ParseFixedSep. FuzzParseAmount checks the two agree.
func ParseFixedField(data []byte, s, e int, sep byte) (int64, bool) {
	n := e - s
	if n < 1 || n > 15 || e < 16 || e > len(data) {
		return ParseFixedSep(data[s:e], sep)
	}
	lo := binary.LittleEndian.Uint64(data[e-8:])  // the field's last 8 bytes (and bytes before it)
	hi := binary.LittleEndian.Uint64(data[e-16:]) // the 8 before those
	nlo, nhi := min(n, 8), max(n-8, 0)            // the field's bytes in each
	if NonDigits(hi)&TopBytes(nhi) != 0 {
		return ParseFixedSep(data[s:e], sep)
	}
	switch bad := NonDigits(lo) & TopBytes(nlo); {
	case bad == 0 && n <= 12:
		// Digits alone: at most 12 of them, as ParseFixedSep allows.
		return int64(TopDigits(hi, nhi)*100_000_000+TopDigits(lo, nlo)) * fixedPow[FixedScale], true
	case bad == 0x80<<40 && n >= 3 && byte(lo>>40) == sep:
		// Two decimals: the separator is byte 5 of lo, the one non-digit.
		// Close the gap it leaves: lo's other digits at the top of y.
		y := lo&0xffff_0000_0000_0000 | lo<<8&0x0000_ffff_ffff_ff00
		return int64(TopDigits(hi, nhi)*10_000_000+TopDigits(y, min(n-1, 7))) * fixedPow[FixedScale-2], true
	}
	return ParseFixedSep(data[s:e], sep)
}

// NonDigits has 0x80 in each byte of x that is not an ASCII digit, and
// nothing else.
func NonDigits(x uint64) uint64 {
	const hi = 0x8080808080808080
	t := x &^ hi                   // each byte below 0x80: no carry between bytes
	ge3a := t + 0x4646464646464646 // high bit: byte >= '9'+1
	ge30 := t + 0x5050505050505050 // high bit: byte >= '0'
	return (x | ge3a | ^ge30) & hi
}

// TopBytes is the mask of the top n (0..8) bytes of a word.
func TopBytes(n int) uint64 { return ^uint64(0) << (8 * (8 - n)) }

// TopDigits is the value of the top n (0..8) bytes of x, ASCII digits,
// the lowest byte the most significant: the bytes below them are cleared
// (leading zeros), then the digits are combined in pairs, fours, eights.
func TopDigits(x uint64, n int) uint64 {
	d := x & 0x0f0f0f0f0f0f0f0f & TopBytes(n)
	d = (d * (10<<8 + 1)) >> 8
	d = ((d & 0x00ff00ff00ff00ff) * (100<<16 + 1)) >> 16
	return ((d & 0x0000ffff0000ffff) * (10000<<32 + 1)) >> 32
}
