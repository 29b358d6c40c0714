package ingest

import (
	"math"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/llamashare/llamashare/pkg/money"
)

// The only place a binary float meets llamashare: a Parquet FLOAT or
// DOUBLE amount is written once as the shortest decimal text (no exponent)
// that reads back as the same binary value — what the producer printed —
// and that text is then read as an exact decimal, like any amount (SPEC
// 11). Nothing is computed with the float. TestNoFloatInMoneyPaths allows
// this file, and only this one, in the money paths.

// pow10 are the exact powers of ten a short amount is tried at.
var pow10 = [...]float64{1, 10, 100, 1000, 10000, 100000, 1000000}

// shortParts returns the m and s of x = m / 10^s (s ≤ 6) when some such
// decimal reads back as x and |x| < 2^52 / 10^6 (so two decimals of s
// places are further apart than x's rounding interval): that decimal is
// then the shortest one, what strconv's shortest formatting gives.
func shortParts(x float64) (m int64, s int, ok bool) {
	if a := math.Abs(x); a < 4e9 && x != 0 {
		for s, p := range pow10 {
			m := x * p
			if m != math.Trunc(m) {
				continue
			}
			if float64(int64(m))/p != x {
				break
			}
			return int64(m), s, true
		}
	}
	return 0, 0, false
}

// appendShortest appends the text of v. Amounts are mostly short (cents):
// shortParts finds them, and they are written from the integer m, only
// faster than strconv. Anything else goes through strconv.
func appendShortest(b []byte, v parquet.Value) []byte {
	if v.Kind() == parquet.Float {
		return strconv.AppendFloat(b, float64(v.Float()), 'f', -1, 32)
	}
	x := v.Double()
	if m, s, ok := shortParts(x); ok {
		digits := strconv.AppendUint(nil, absInt(m), 10)
		for s > 0 && digits[len(digits)-1] == '0' {
			digits, s = digits[:len(digits)-1], s-1
		}
		return appendScaled(b, m < 0, digits, s, '.')
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// pqDoubles are a page's DOUBLE values (the typed path, parquet_columns.go).
type pqDoubles []float64

func doublesOf(v encoding.Values) pqDoubles { return v.Double() }

// fixed returns the j-th value's text, as appendShortest writes it, read
// as a fixed-point amount (10^-money.FixedScale) without writing it: the
// short decimals of shortParts, and zero ("0" or "-0"); ok is false for
// anything else (the text is written and read then).
func (d pqDoubles) fixed(j int) (int64, bool) {
	x := d[j]
	if x == 0 {
		return 0, true
	}
	m, s, ok := shortParts(x)
	if !ok {
		return 0, false
	}
	return m * pow10i(money.FixedScale-s), true
}

// value returns the j-th value.
func (d pqDoubles) value(j int) parquet.Value { return parquet.DoubleValue(d[j]) }
