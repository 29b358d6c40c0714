package settle

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/money"
)

// The six figures of a sum, in this order, in the arrays below.
const (
	figGross = iota
	figRefunds
	figTaxes
	figFees
	figCredits
	figUnits
)

// rowSums are rows read one by one, summed at the grain aggKey before
// conversion: gross, refunds, taxes, fees, credits and units.
type rowSums struct {
	rows int
	fig  [6]decimal.Decimal
	day  time.Time
}

func (s *rowSums) add(r *ingest.Row) {
	s.rows++
	for i, v := range [6]decimal.Decimal{r.Gross, r.Refunds, r.Taxes, r.Fees, r.Credits, r.Units} {
		s.fig[i] = s.fig[i].Add(v)
	}
}

// sums are a product's figures in a host's period, in the settlement
// currency, unrounded. A figure is its fixed-point sum plus its decimal:
// the reader's fast path fills the fixed-point sums, and the decimals,
// made only when needed, hold what they cannot (rows read one by one, a
// rate with too many decimals, a sum beyond 128 bits). When a figure's
// decimal is zero it is rounded in integers. With many distinct products
// these are a run's largest structure: kept small.
type sums struct {
	rows int
	// Money in units of 10^-fixedScale (amount scale + rate scale),
	// units in units of 10^-money.FixedScale.
	fixed      [5]money.Sum
	fixedUnits money.Sum
	dec        *[6]decimal.Decimal // nil while every figure is fixed-point

	// byCur keeps a product's amounts per currency other than the
	// settlement currency, as read and converted (SPEC 8's breakdown).
	byCur []curSums
}

// addDec adds v to figure i's decimal.
func (s *sums) addDec(i int, v decimal.Decimal) {
	if v.IsZero() {
		return
	}
	if s.dec == nil {
		s.dec = new([6]decimal.Decimal)
	}
	s.dec[i] = s.dec[i].Add(v)
}

// decimal returns figure i's decimal part.
func (s *sums) decimal(i int) decimal.Decimal {
	if s.dec == nil {
		return decimal.Decimal{}
	}
	return s.dec[i]
}

// roundAll applies the agreement's rounding to a product's summed figures.
// When every money figure is fixed-point and its rounding fits an int64,
// ok is true and n holds them in units of 10^-r.Scale (gross, refunds,
// taxes, fees, credits), for the period's sums.
func roundAll(r money.Rounding, s *sums) (pr Product, n [5]int64, ok bool) {
	units := s.decimal(figUnits)
	if !s.fixedUnits.IsZero() {
		units = units.Add(s.fixedUnits.Decimal())
	}
	pr = Product{Rows: s.rows, Units: units}
	figs := [5]*decimal.Decimal{&pr.Gross, &pr.Refunds, &pr.Taxes, &pr.Fees, &pr.Credits}
	ok = s.dec == nil
	for i := 0; ok && i < 5; i++ {
		n[i], ok = r.RoundSumUnits(s.fixed[i], fixedScale)
	}
	for i, f := range figs {
		if ok {
			*f = decimal.New(n[i], -r.Scale)
		} else {
			*f = rounded(r, s.decimal(i), s.fixed[i])
		}
	}
	return pr, n, ok
}

// rounded is a figure d + f (f in units of 10^-fixedScale) rounded with
// r: in integers when d is zero and the result fits (money.RoundSum), else
// as decimals. Both give the same decimal.
func rounded(r money.Rounding, d decimal.Decimal, f money.Sum) decimal.Decimal {
	return roundedAt(r, d, f, fixedScale)
}

// roundedAt is rounded for an f in units of 10^-scale.
func roundedAt(r money.Rounding, d decimal.Decimal, f money.Sum, scale int32) decimal.Decimal {
	if d.IsZero() {
		if v, ok := r.RoundSum(f, scale); ok {
			return v
		}
	}
	if !f.IsZero() {
		d = d.Add(f.Scaled(scale))
	}
	return r.Round(d)
}

// periodSums adds up a period's rounded product figures (gross, refunds,
// taxes, fees, credits, basis) in int64 units of the rounding's scale
// while it can; from the first product it cannot (a figure not an
// integer, a sum that would overflow) the settlement's decimals carry on.
type periodSums struct {
	n       [6]int64
	decimal bool // the sums are in the settlement's decimals
	some    bool // a product was added in integers
}

// add adds a product: n its figures and b its basis in integers when ok.
func (a *periodSums) add(st *Settlement, r money.Rounding, pr *Product, n [5]int64, b int64, ok bool) {
	if ok && !a.decimal {
		next := a.n
		for i := 0; ok && i < 5; i++ {
			next[i], ok = addChecked(next[i], n[i], ok)
		}
		next[5], ok = addChecked(next[5], b, ok)
		if ok {
			a.n, a.some = next, true
			return
		}
	}
	a.flush(st, r)
	a.decimal = true
	st.Gross = st.Gross.Add(pr.Gross)
	st.Refunds = st.Refunds.Add(pr.Refunds)
	st.Taxes = st.Taxes.Add(pr.Taxes)
	st.Fees = st.Fees.Add(pr.Fees)
	st.Credits = st.Credits.Add(pr.Credits)
	st.Basis = st.Basis.Add(pr.Basis)
}

// flush moves the integer sums into the settlement's decimals.
func (a *periodSums) flush(st *Settlement, r money.Rounding) {
	if !a.some || a.decimal {
		return
	}
	to := [6]*decimal.Decimal{&st.Gross, &st.Refunds, &st.Taxes, &st.Fees, &st.Credits, &st.Basis}
	for i, d := range to {
		*d = decimal.New(a.n[i], -r.Scale)
	}
	a.some = false
}

// deductIndexes returns the figures the terms deduct, as indexes.
func deductIndexes(t *agreement.Terms) []int {
	idx := make([]int, 0, len(t.Deduct))
	for _, d := range t.Deduct {
		switch d {
		case "refunds":
			idx = append(idx, figRefunds)
		case "taxes":
			idx = append(idx, figTaxes)
		case "fees":
			idx = append(idx, figFees)
		case "credits":
			idx = append(idx, figCredits)
		}
	}
	return idx
}

// addChecked returns a + b and whether ok held and the sum did not overflow.
func addChecked(a, b int64, ok bool) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return a, false
	}
	return s, ok
}

// subChecked returns a - b and whether ok held and it did not overflow.
func subChecked(a, b int64, ok bool) (int64, bool) {
	s := a - b
	if (b > 0 && s > a) || (b < 0 && s < a) {
		return a, false
	}
	return s, ok
}
