package settle

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
)

// Currency is one original currency's part of a settlement (SPEC 8, "FX is
// evidence"): what the host's own report shows in that currency, and what
// it became in the settlement currency. Figures are rounded like the
// settlement's (SPEC 5 step 2: per product, then summed), in both
// currencies, with the agreement's rounding.
type Currency struct {
	Currency       string
	Gross, Basis   decimal.Decimal // in Currency
	ConvertedGross decimal.Decimal // in the settlement currency
	ConvertedBasis decimal.Decimal
	// Rate is the effective rate ConvertedGross ÷ Gross, 10 decimal places
	// half-even; nil when Gross is zero.
	Rate *decimal.Decimal
}

// RateScale is the decimal places of a Currency's effective rate.
const RateScale = 10

// curSums is a product's figures in one original currency: as read, and
// converted, both unrounded (gross, refunds, taxes, fees, credits). Each
// figure is its fixed-point sum — as read in units of 10^-money.FixedScale,
// converted in units of 10^-fixedScale — plus its decimal, made only when
// a figure cannot be fixed-point.
type curSums struct {
	cur          string
	forig, fconv [5]money.Sum
	dec          *[2][5]decimal.Decimal // as read, converted
}

// decimals returns the decimal parts, as read and converted.
func (c *curSums) decimals() (orig, conv *[5]decimal.Decimal) {
	if c.dec == nil {
		return &[5]decimal.Decimal{}, &[5]decimal.Decimal{}
	}
	return &c.dec[0], &c.dec[1]
}

// addDec adds v to figure i's decimal, as read (k 0) or converted (k 1).
func (c *curSums) addDec(k, i int, v decimal.Decimal) {
	if v.IsZero() {
		return
	}
	if c.dec == nil {
		c.dec = new([2][5]decimal.Decimal)
	}
	c.dec[k][i] = c.dec[k][i].Add(v)
}

// cur returns the sums of currency cur, made on first use. Only
// currencies other than the settlement currency are kept; a product has
// one or a few.
func (s *sums) cur(cur string) *curSums {
	for i := range s.byCur {
		if s.byCur[i].cur == cur {
			return &s.byCur[i]
		}
	}
	s.byCur = append(s.byCur, curSums{cur: cur})
	return &s.byCur[len(s.byCur)-1]
}

// addCurrency records amounts of a product in currency cur: orig as read,
// conv converted.
func (s *sums) addCurrency(cur string, orig, conv [5]decimal.Decimal) {
	c := s.cur(cur)
	for i := range orig {
		c.addDec(0, i, orig[i])
		c.addDec(1, i, conv[i])
	}
}

// addCurrencyFixed is addCurrency for the reader's sums: orig in units of
// 10^-money.FixedScale, conv in units of 10^-fixedScale. A sum that would
// overflow its 128 bits goes to the decimal instead.
func (s *sums) addCurrencyFixed(cur string, orig, conv *[5]money.Sum) {
	c := s.cur(cur)
	for i := range orig {
		if !c.forig[i].AddChecked(orig[i]) {
			c.addDec(0, i, orig[i].Decimal())
		}
		if !c.fconv[i].AddChecked(conv[i]) {
			c.addDec(1, i, conv[i].Scaled(fixedScale))
		}
	}
}

// currencies sums the products' original-currency figures of a period
// into the settlement's breakdown, sorted by currency: per product and
// currency each figure is rounded, the basis is gross less the figures
// the terms deduct, and the products' figures are added up.
func currencies(r money.Rounding, t *agreement.Terms, products []named) []Currency {
	by := map[string]*Currency{}
	for _, p := range products {
		byCur := p.sums.byCur
		for i := range byCur {
			c := &byCur[i]
			out := by[c.cur]
			if out == nil {
				out = &Currency{Currency: c.cur}
				by[c.cur] = out
			}
			orig, conv := c.decimals()
			gross, basis := basisOf(r, t, orig, &c.forig, money.FixedScale)
			cgross, cbasis := basisOf(r, t, conv, &c.fconv, fixedScale)
			out.Gross = out.Gross.Add(gross)
			out.Basis = out.Basis.Add(basis)
			out.ConvertedGross = out.ConvertedGross.Add(cgross)
			out.ConvertedBasis = out.ConvertedBasis.Add(cbasis)
		}
	}
	list := make([]Currency, 0, len(by))
	for _, c := range by {
		if !c.Gross.IsZero() {
			rate := money.DivPlacesEven(c.ConvertedGross, c.Gross, RateScale)
			c.Rate = &rate
		}
		list = append(list, *c)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Currency < list[j].Currency })
	return list
}

// basisOf rounds a product's five figures, each fig + fixed (in units of
// 10^-scale), and returns its gross and basis.
func basisOf(r money.Rounding, t *agreement.Terms, fig *[5]decimal.Decimal, fixed *[5]money.Sum, scale int32) (gross, basis decimal.Decimal) {
	f := func(i int) decimal.Decimal { return roundedAt(r, fig[i], fixed[i], scale) }
	p := Product{Gross: f(0), Refunds: f(1), Taxes: f(2), Fees: f(3), Credits: f(4)}
	basis = p.Gross
	for _, d := range t.Deduct {
		basis = basis.Sub(p.Figure(d))
	}
	return p.Gross, basis
}
