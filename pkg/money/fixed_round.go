package money

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// pow10u holds 10^0 … 10^18, the powers of ten a uint64 holds.
var pow10u = func() (p [19]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// RoundSum rounds s, a total counting units of 10^-scale, to r's scale
// with r's mode, in integers: the value Round gives for the same decimal,
// with the same exponent (-r.Scale). ok is false when the integers cannot
// do it — scale below r's or more than 18 places above it, or a rounded
// value beyond int64 — and the caller rounds the decimal instead.
func (r Rounding) RoundSum(s Sum, scale int32) (d decimal.Decimal, ok bool) {
	v, ok := r.RoundSumUnits(s, scale)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(v, -r.Scale), true
}

// RoundSumUnits is RoundSum's value in units of 10^-r.Scale.
func (r Rounding) RoundSumUnits(s Sum, scale int32) (int64, bool) {
	shift := scale - r.Scale
	if shift < 0 || int(shift) >= len(pow10u) {
		return 0, false
	}
	// |s| as an unsigned 128-bit hi:lo (the most negative Sum's magnitude
	// is 2^127, which the unsigned pair holds).
	neg := s.hi < 0
	hi, lo := uint64(s.hi), s.lo
	if neg {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	d := pow10u[shift]
	if hi >= d { // the quotient needs more than 64 bits
		return 0, false
	}
	q, rem := bits.Div64(hi, lo, d)
	switch r.Mode {
	case Down:
	case Up:
		if rem != 0 {
			q++
		}
	case HalfEven:
		if rem > d-rem || (rem == d-rem && q&1 == 1) {
			q++
		}
	default: // HalfUp, as Round: half away from zero
		if rem >= d-rem && rem != 0 {
			q++
		}
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}
