package ingest

import (
	"math"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// The only place a binary float meets llamashare: a Parquet FLOAT or
// DOUBLE amount is written once as the shortest decimal text (no exponent)
// that reads back as the same binary value — what the producer printed —
// and that text is then read as an exact decimal, like any amount (SPEC
// 11). Nothing is computed with the float. TestNoFloatInMoneyPaths allows
// this file, and only this one, in the money paths.

// pow10 are the exact powers of ten a short amount is tried at.
var pow10 = [...]float64{1, 10, 100, 1000, 10000, 100000, 1000000}

// appendShortest appends the text of v. Amounts are mostly short (cents):
// when some m / 10^s with s ≤ 6 reads back as v, and |v| < 2^52 / 10^6
// (so two decimals of s places are further apart than v's rounding
// interval), that decimal is the shortest one; it is written from the
// integer m, which is what strconv's shortest formatting gives, only
// faster. Anything else goes through strconv.
func appendShortest(b []byte, v parquet.Value) []byte {
	if v.Kind() == parquet.Float {
		return strconv.AppendFloat(b, float64(v.Float()), 'f', -1, 32)
	}
	x := v.Double()
	if a := math.Abs(x); a < 4e9 && x != 0 {
		for s, p := range pow10 {
			m := x * p
			if m != math.Trunc(m) {
				continue
			}
			if float64(int64(m))/p != x {
				break
			}
			neg := m < 0
			u := absInt(int64(m))
			digits := strconv.AppendUint(nil, u, 10)
			for s > 0 && digits[len(digits)-1] == '0' {
				digits, s = digits[:len(digits)-1], s-1
			}
			return appendScaled(b, neg, digits, s, '.')
		}
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}
