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
// the terms deduct, and the products' figures are added up — in int64
// units of the rounding's scale while they fit (curAcc), else decimals.
func currencies(r money.Rounding, t *agreement.Terms, products []named) []Currency {
	var accs []curAcc
	deduct := deductIndexes(t)
	for _, p := range products {
		for i := range p.sums.byCur {
			c := &p.sums.byCur[i]
			a := accOf(&accs, c.cur)
			if c.dec == nil && r.Scale >= 0 && a.addFixed(r, deduct, c) {
				continue
			}
			orig, conv := c.decimals()
			gross, basis := basisOf(r, t, orig, &c.forig, money.FixedScale)
			cgross, cbasis := basisOf(r, t, conv, &c.fconv, fixedScale)
			d := &a.dec
			d.Gross = d.Gross.Add(gross)
			d.Basis = d.Basis.Add(basis)
			d.ConvertedGross = d.ConvertedGross.Add(cgross)
			d.ConvertedBasis = d.ConvertedBasis.Add(cbasis)
		}
	}
	list := make([]Currency, 0, len(accs))
	for k := range accs {
		c := accs[k].currency(r)
		if !c.Gross.IsZero() {
			rate := money.DivPlacesEven(c.ConvertedGross, c.Gross, RateScale)
			c.Rate = &rate
		}
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Currency < list[j].Currency })
	return list
}

// curAcc is one currency's part of a period: gross, basis, converted
// gross and converted basis in int64 units of the rounding's scale (n,
// when some product was added so), plus in dec what was not.
type curAcc struct {
	cur  string
	n    [4]int64
	some bool
	dec  Currency
}

// accOf returns the accumulator of currency cur, made on first use (a
// period has a few currencies).
func accOf(accs *[]curAcc, cur string) *curAcc {
	for i := range *accs {
		if (*accs)[i].cur == cur {
			return &(*accs)[i]
		}
	}
	*accs = append(*accs, curAcc{cur: cur})
	return &(*accs)[len(*accs)-1]
}

// addFixed adds a product's figures in c, rounded in integers, and
// reports whether it could (every figure fixed-point, nothing past an
// int64); when not it has added nothing.
func (a *curAcc) addFixed(r money.Rounding, deduct []int, c *curSums) bool {
	next := a.n
	ok := true
	for k, fig := range [2]*[5]money.Sum{&c.forig, &c.fconv} {
		scale := int32(money.FixedScale)
		if k == 1 {
			scale = fixedScale
		}
		gross, gok := r.RoundSumUnits(fig[figGross], scale)
		basis := gross
		ok = ok && gok
		for _, i := range deduct {
			v, vok := r.RoundSumUnits(fig[i], scale)
			basis, ok = subChecked(basis, v, ok && vok)
		}
		next[2*k], ok = addChecked(next[2*k], gross, ok)
		next[2*k+1], ok = addChecked(next[2*k+1], basis, ok)
	}
	if ok {
		a.n, a.some = next, true
	}
	return ok
}

// currency is the accumulated breakdown, its figures decimals.
func (a *curAcc) currency(r money.Rounding) Currency {
	c := Currency{Currency: a.cur}
	figs := [4]*decimal.Decimal{&c.Gross, &c.Basis, &c.ConvertedGross, &c.ConvertedBasis}
	dec := [4]decimal.Decimal{a.dec.Gross, a.dec.Basis, a.dec.ConvertedGross, a.dec.ConvertedBasis}
	for k, f := range figs {
		if a.some {
			*f = decimal.New(a.n[k], -r.Scale)
		}
		*f = f.Add(dec[k])
	}
	return c
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
