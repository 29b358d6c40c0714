package settle

import (
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
)

// FixedLine is a share line of a lean run (Options.Lean) held in
// integers: a flat-rate rule's line for one product (no band, no price,
// Rate the rule's). Basis and Share are in units of 10^-scale of the
// agreement's rounding, Units in units of 10^-money.FixedScale. With many
// distinct products the lines are most of a result; as decimals they
// took four times the memory and most of the replay's allocations.
type FixedLine struct {
	Rule         *agreement.Rule
	Product      string
	Units        money.Sum
	Basis, Share int64
}

// Line returns l with its figures as decimals, as the general path makes
// them; scale is the agreement's rounding scale.
func (l *FixedLine) Line(scale int32) Line {
	units := decimal.Decimal{}
	if !l.Units.IsZero() {
		units = units.Add(l.Units.Decimal())
	}
	return Line{Rule: l.Rule, Product: l.Product, Basis: decimal.New(l.Basis, -scale), Units: units,
		Rate: l.Rule.Rate, Share: decimal.New(l.Share, -scale)}
}

// EachLine calls each with the settlement's share lines in order: Lines,
// or a lean run's Fixed lines as decimals (scale is the rounding's).
func (s *Settlement) EachLine(scale int32, each func(*Line)) {
	for i := range s.Lines {
		each(&s.Lines[i])
	}
	for i := range s.Fixed {
		l := s.Fixed[i].Line(scale)
		each(&l)
	}
}

// fixedRate is a flat rate as an integer: the rate is m × 10^-k.
type fixedRate struct {
	m  int64
	k  int32
	ok bool
}

// fixedRates returns the terms' rules' rates as integers; a rule that is
// not a flat rate, has a de minimis, or whose rate does not fit is not ok.
func fixedRates(t *agreement.Terms) []fixedRate {
	out := make([]fixedRate, len(t.Rules))
	for i, rule := range t.Rules {
		if rule.Rate == nil || rule.DeMinimis != nil || rule.Index != i {
			continue
		}
		v := rule.Rate.Value
		k := max(0, -v.Exponent())
		m := v.Shift(k)
		if k > 18 || !m.IsInteger() || m.Abs().GreaterThanOrEqual(decimal.New(1, 18)) {
			continue
		}
		out[i] = fixedRate{m: m.IntPart(), k: k, ok: true}
	}
	return out
}

// leanPeriod is steps 2-5 of a lean run in int64 units of the rounding's
// scale: each product's rounded figures and basis, its flat-rate line,
// and the settlement's figures and share, without a decimal or a Product.
// It returns false, having set nothing, when the period needs the
// general path: no products, a rule other than a flat rate or with a de
// minimis, a figure held in decimals, or any overflow. Both give the same
// figures (the tests compare).
func leanPeriod(st *Settlement, r money.Rounding, products []named) bool {
	t := st.Terms
	if len(products) == 0 || r.Scale < 0 || r.Scale > 18 {
		return false
	}
	rates := fixedRates(t)
	deduct := deductIndexes(t)
	lines := make([]FixedLine, len(products))
	perRule := make([]int, len(t.Rules))
	var sum [6]int64 // gross, refunds, taxes, fees, credits, basis
	var share int64
	for k, p := range products {
		s := p.sums
		if s.dec != nil {
			return false
		}
		rule := t.Rule(p.name)
		if rule == nil || rule.Index >= len(rates) || !rates[rule.Index].ok {
			return false
		}
		ok := true
		var n [5]int64
		for i := range n {
			if n[i], ok = r.RoundSumUnits(s.fixed[i], fixedScale); !ok {
				return false
			}
		}
		b := n[figGross]
		for _, i := range deduct {
			b, ok = subChecked(b, n[i], ok)
		}
		for i := range n {
			sum[i], ok = addChecked(sum[i], n[i], ok)
		}
		sum[5], ok = addChecked(sum[5], b, ok)
		rate := rates[rule.Index]
		sh, shOK := r.RoundSumUnits(money.Product(b, rate.m), r.Scale+rate.k)
		share, ok = addChecked(share, sh, ok && shOK)
		if !ok {
			return false
		}
		lines[k] = FixedLine{Rule: rule, Product: p.name, Units: s.fixedUnits, Basis: b, Share: sh}
		perRule[rule.Index]++
	}
	// Lines by rule, then product (products come sorted): a stable
	// placement by rule index.
	at := make([]int, len(perRule))
	for i := 1; i < len(perRule); i++ {
		at[i] = at[i-1] + perRule[i-1]
	}
	st.Fixed = make([]FixedLine, len(lines))
	for _, l := range lines {
		st.Fixed[at[l.Rule.Index]] = l
		at[l.Rule.Index]++
	}
	to := [6]*decimal.Decimal{&st.Gross, &st.Refunds, &st.Taxes, &st.Fees, &st.Credits, &st.Basis}
	for i, d := range to {
		*d = decimal.New(sum[i], -r.Scale)
	}
	st.Share = decimal.New(share, -r.Scale)
	return true
}
