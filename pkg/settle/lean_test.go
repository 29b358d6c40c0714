package settle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// leanPrint prints what a lean run keeps of every settlement — figures,
// currencies and share lines (EachLine: Lines or Fixed) — each decimal
// with its exponent, so the integer path must make the same decimals.
func leanPrint(res *Result) string {
	var b strings.Builder
	scale := int32(2)
	if res.Agreement != nil {
		scale = res.Agreement.Rounding.Scale
	}
	for _, s := range res.Settlements {
		fmt.Fprintf(&b, "%s %s", s.Host.ID, s.Period)
		for _, d := range []any{s.Gross, s.Refunds, s.Taxes, s.Fees, s.Credits, s.Basis, s.Share, s.MinimumTopup, s.CapReduction,
			s.AdvanceRecouped, s.AdvanceRemaining, s.CarriedIn, s.CarriedOut, s.Payable} {
			fmt.Fprintf(&b, " %s", exact(d))
		}
		fmt.Fprintf(&b, " due %v\n", s.DueDate)
		for _, c := range s.Currencies {
			fmt.Fprintf(&b, "  %s %s %s %s %s %v\n", c.Currency, exact(c.Gross), exact(c.Basis), exact(c.ConvertedGross), exact(c.ConvertedBasis), c.Rate)
		}
		s.EachLine(scale, func(l *Line) {
			fmt.Fprintf(&b, "  %s %s %d %s %s %v %v %s\n", l.Rule.Name, l.Product, l.Band, exact(l.Basis), exact(l.Units), l.Rate, l.Price, exact(l.Share))
		})
	}
	return b.String()
}

// exact prints a decimal as its coefficient and exponent.
func exact(d any) string {
	x := d.(interface {
		String() string
		Exponent() int32
	})
	return fmt.Sprintf("%se%d", x.String(), x.Exponent())
}

// leanAgrees settles opts again with Lean and fails unless it keeps the
// same figures and lines as res; it returns the lean result.
func leanAgrees(t interface {
	Helper()
	Fatalf(string, ...any)
}, opts Options, files []string, res *Result) *Result {
	t.Helper()
	opts.Lean = true
	lean, err := Run(opts, files)
	if err != nil {
		t.Fatalf("lean run: %v", err)
	}
	if a, b := leanPrint(lean), leanPrint(res); a != b {
		t.Fatalf("lean run:\n%s\nfull run:\n%s", a, b)
	}
	return lean
}

// A lean run settles flat-rate periods in integers and falls back to
// decimals, with the same result, when a sum or a share would overflow
// an int64 or a rule is not a flat rate.
func TestLeanFallsBack(t *testing.T) {
	const head = "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: half-even, scale: 6}\nhosts:\n  h:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n"
	many := func(n int, gross string) string {
		var b strings.Builder
		b.WriteString("date,host,product,gross,refunds,units\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "2025-01-%02d,h,p%02d,%s,-0.000001,%d\n", i+1, i, gross, i*1000)
		}
		return b.String()
	}
	for _, c := range []struct {
		name, rules, csv string
		fixed            bool // the integer path settles it
	}{
		{"flat rates", "[{products: [\"p0*\"], rate: 12.5%}, {rate: 0.001%}]", many(12, "1234.567891"), true},
		// 12 × (10^18 - 1) micro-units: each fits, the sum does not.
		{"sum overflows", "[{rate: 10%}]", many(12, "999999999999.999999"), false},
		// Shares of 9.2 × 10^18 micro-units twice: the figures sum
		// (+a −b +c), the shares (a + c; b at 0%) do not.
		{"shares overflow", "[{products: [\"b\"], rate: 0%}, {rate: 100%}]",
			"date,host,product,gross\n2025-01-01,h,a,9200000000000\n2025-01-01,h,b,-9200000000000\n2025-01-01,h,c,9200000000000\n", false},
		{"de minimis", "[{rate: 10%, de_minimis: 5000}]", many(3, "1234.567891"), false},
		{"tiers", "[{tiers: {bands: [{up_to: 2000, rate: 10%}, {rate: 20%}]}}]", many(3, "1234.567891"), false},
		{"rate and per unit", "[{products: [\"p00\"], per_unit: {price: 0.03, per: 7}}, {rate: 10%}]", many(3, "1234.567891"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ag, err := agreement.Decode("agreement.yaml", []byte(head+"        rates: "+c.rules+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Agreement: ag, Files: memFiles(map[string]string{"r.csv": c.csv})}
			res, err := Run(opts, []string{"r.csv"})
			if err != nil {
				t.Fatal(err)
			}
			lean := leanAgrees(t, opts, []string{"r.csv"}, res)
			s := lean.Settlements[0]
			if got := len(s.Fixed) > 0; got != c.fixed || (got && len(s.Lines) > 0) {
				t.Errorf("integer lines %d, decimal lines %d; want integer: %v", len(s.Fixed), len(s.Lines), c.fixed)
			}
		})
	}
}
