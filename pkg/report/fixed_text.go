package report

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/settle"
)

// fixedLine is buildLine for a lean run's line in integers: the same
// text, without making decimals (settle.FixedLine).
func fixedLine(scale int32, l *settle.FixedLine) Line {
	jl := Line{Rule: l.Rule.Name, Product: l.Product, Basis: fixedText(l.Basis, scale), Units: unitsText(l.Units), Share: fixedText(l.Share, scale)}
	if l.Rule.Rate != nil {
		r := l.Rule.Rate.String()
		jl.Rate = &r
	}
	return jl
}

// eachLine calls each with settlement s's share lines as the document
// has them, in order.
func eachLine(r money.Rounding, s *settle.Settlement, each func(*Line) error) error {
	for _, l := range s.Lines {
		jl := buildLine(r.Format, l)
		if err := each(&jl); err != nil {
			return err
		}
	}
	for i := range s.Fixed {
		jl := fixedLine(r.Scale, &s.Fixed[i])
		if err := each(&jl); err != nil {
			return err
		}
	}
	return nil
}

// fixedText is decimal.New(v, -scale).StringFixed(scale): v in units of
// 10^-scale with exactly scale decimals.
func fixedText(v int64, scale int32) string {
	if scale < 0 || scale > 18 {
		return decimal.New(v, -scale).StringFixed(scale)
	}
	var buf [48]byte
	return string(appendScaled(buf[:0], v, scale, false))
}

// unitsText is s.Decimal().String() (units in 10^-money.FixedScale): the
// digits without trailing zeros after the point, "0" for zero.
func unitsText(s money.Sum) string {
	v, ok := s.Int64()
	if !ok {
		return s.Decimal().String()
	}
	var buf [48]byte
	return string(appendScaled(buf[:0], v, money.FixedScale, true))
}

// appendScaled appends v × 10^-scale (0 ≤ scale ≤ 18): all scale
// decimals, or with trim none of the trailing zeros (nor the point when
// none is left).
func appendScaled(b []byte, v int64, scale int32, trim bool) []byte {
	u := uint64(v)
	if v < 0 {
		u = -u // MinInt64 wraps to itself: as uint64 it is 2^63, right
		b = append(b, '-')
	}
	p := uint64(1)
	for range scale {
		p *= 10
	}
	b = strconv.AppendUint(b, u/p, 10)
	frac := u % p
	if scale == 0 || (trim && frac == 0) {
		return b
	}
	var digits [20]byte
	n := int(scale)
	for i := n - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	if trim {
		for n > 0 && digits[n-1] == '0' {
			n--
		}
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}
