package settle

import (
	"time"

	"github.com/shopspring/decimal"

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
func roundAll(r money.Rounding, s *sums) Product {
	units := s.decimal(figUnits)
	if !s.fixedUnits.IsZero() {
		units = units.Add(s.fixedUnits.Decimal())
	}
	f := func(i int) decimal.Decimal { return rounded(r, s.decimal(i), s.fixed[i]) }
	return Product{
		Rows:    s.rows,
		Gross:   f(figGross),
		Refunds: f(figRefunds),
		Taxes:   f(figTaxes),
		Fees:    f(figFees),
		Credits: f(figCredits),
		Units:   units,
	}
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
