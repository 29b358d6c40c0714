package money

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// FixedScale is the number of decimal places of a Fixed amount.
const FixedScale = 6

var fixedPow = [...]int64{1, 10, 100, 1_000, 10_000, 100_000, 1_000_000}

// ParseFixed is the fast path of ParseAmount for the plain forms that
// make up nearly every revenue file: an optional minus sign, digits, and
// at most FixedScale decimals after a '.' (`1234.56`, `-0.5`, `.70`, `12`).
// It returns the amount in units of 10^-FixedScale. For anything else
// (grouping, parentheses, symbols, a comma decimal, more decimals, too many
// digits, empty text) ok is false and the caller uses ParseAmount, which
// decides: the fast path never accepts what ParseAmount would refuse, and
// gives the same value for what it accepts.
func ParseFixed(b []byte) (v int64, ok bool) { return ParseFixedSep(b, '.') }

// ParseFixedSep is ParseFixed with sep as the decimal separator: the fast
// path of ParseAmount(s, sep) (`1234,56` and `-,5` with sep ',').
func ParseFixedSep(b []byte, sep byte) (v int64, ok bool) {
	v, n, ok := ParseFixedPrefix(b, sep)
	return v, ok && n == len(b)
}

// ParseFixedPrefix reads the plain amount ParseFixedSep reads at the start
// of b and returns its value and length: b[:n] is that amount, and the
// caller decides what may follow it (a reader that parses a field while it
// looks for its end checks that the next byte ends the field). ok is false
// when b does not start with one (the separator without decimals, more
// than FixedScale decimals, more than 12 integer digits, no digits).
func ParseFixedPrefix(b []byte, sep byte) (v int64, n int, ok bool) {
	i := 0
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg = true
		i = 1
	}
	m, intDigits := digits(b, i)
	i += intDigits
	if intDigits > 12 { // keeps m·10^FixedScale below 2^63
		return 0, 0, false
	}
	frac := 0
	if i < len(b) && b[i] == sep {
		i++
		var f uint64
		f, frac = digits(b, i)
		if frac == 0 || frac > FixedScale {
			return 0, 0, false
		}
		i += frac
		m = m*uint64(fixedPow[frac]) + f
	}
	if intDigits+frac == 0 {
		return 0, 0, false
	}
	v = int64(m) * fixedPow[FixedScale-frac]
	if neg {
		v = -v
	}
	return v, i, true
}

// digits reads the run of ASCII digits at b[i:]: its value (modulo 2^64
// beyond 19 digits; callers refuse such runs) and its length. (Eight bytes
// at a time with SWAR was tried: no faster on revenue amounts, which are
// short.)
func digits(b []byte, i int) (m uint64, n int) {
	for i < len(b) && b[i]-'0' <= 9 {
		m = m*10 + uint64(b[i]-'0')
		i++
		n++
	}
	return m, n
}

// ParseFixedGrouped is ParseFixedSep for an amount whose integer digits
// are grouped in thousands by the other separator (`1,234.56` with sep
// '.', `-1.234,5` with sep ','), as ParseAmount allows: a first group of
// one to three digits, then groups of exactly three. Anything else is not
// ok, and ParseAmount decides.
func ParseFixedGrouped(b []byte, sep byte) (v int64, ok bool) {
	group := byte(',')
	if sep == ',' {
		group = '.'
	}
	i, n := 0, len(b)
	neg := n > 0 && b[0] == '-'
	if neg {
		i = 1
	}
	var m uint64
	digits, run, groups := 0, 0, 0
	for ; i < n && b[i] != sep; i++ {
		switch c := b[i]; {
		case c-'0' <= 9:
			m = m*10 + uint64(c-'0')
			digits++
			run++
		case c == group && run >= 1 && run <= 3 && (groups == 0 || run == 3):
			groups++
			run = 0
		default:
			return 0, false
		}
	}
	if groups == 0 || run != 3 || digits > 12 {
		return 0, false
	}
	frac := 0
	if i < n {
		i++
		fs := i
		for i < n && b[i]-'0' <= 9 {
			m = m*10 + uint64(b[i]-'0')
			i++
		}
		frac = i - fs
		if frac == 0 || frac > FixedScale || i != n {
			return 0, false
		}
	}
	v = int64(m) * fixedPow[FixedScale-frac]
	if neg {
		v = -v
	}
	return v, true
}

// Sum is an exact running total of Fixed amounts: 128-bit, so no sum of
// int64 values can overflow it in practice (2^64 additions).
type Sum struct {
	lo uint64
	hi int64
}

// Add adds a Fixed amount.
func (s *Sum) Add(v int64) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(v), 0)
	ext := int64(0)
	if v < 0 {
		ext = -1
	}
	s.hi += ext + int64(carry)
}

// AddSum adds another running total.
func (s *Sum) AddSum(o Sum) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + int64(carry)
}

// AddChecked adds o and reports whether the total stayed within 128 bits;
// on false s is unchanged.
func (s *Sum) AddChecked(o Sum) bool {
	lo, carry := bits.Add64(s.lo, o.lo, 0)
	hi := s.hi + o.hi + int64(carry)
	// Signed overflow: both operands of one sign, the result of the other.
	if (s.hi >= 0) == (o.hi >= 0) && (hi >= 0) != (s.hi >= 0) {
		return false
	}
	s.lo, s.hi = lo, hi
	return true
}

// Int64 returns the total when it fits in an int64.
func (s Sum) Int64() (int64, bool) {
	v := int64(s.lo)
	if (s.hi == 0 && v >= 0) || (s.hi == -1 && v < 0) {
		return v, true
	}
	return 0, false
}

// Product returns a × b exactly, as a 128-bit Sum.
func Product(a, b int64) Sum {
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a) // -MinInt64 wraps to itself: as uint64 it is 2^63, right
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := bits.Mul64(ua, ub)
	s := Sum{lo: lo, hi: int64(hi)}
	if neg {
		// Two's complement negation of the 128-bit value.
		s.lo = ^s.lo + 1
		s.hi = ^s.hi
		if s.lo == 0 {
			s.hi++
		}
	}
	return s
}

// Scaled returns the total as an exact decimal with scale decimal places
// (the total counts units of 10^-scale).
func (s Sum) Scaled(scale int32) decimal.Decimal {
	return s.Decimal().Shift(FixedScale - scale)
}

// IsZero reports whether the total is zero.
func (s Sum) IsZero() bool { return s.lo == 0 && s.hi == 0 }

// Decimal returns the total as an exact decimal.
func (s Sum) Decimal() decimal.Decimal {
	if (s.hi == 0 && s.lo <= math.MaxInt64) || (s.hi == -1 && s.lo > math.MaxInt64) {
		return decimal.New(int64(s.lo), -FixedScale)
	}
	hi := decimal.NewFromInt(s.hi).Mul(decimal.NewFromInt(1 << 32)).Mul(decimal.NewFromInt(1 << 32))
	lo := decimal.NewFromUint64(s.lo)
	return hi.Add(lo).Shift(-FixedScale)
}
