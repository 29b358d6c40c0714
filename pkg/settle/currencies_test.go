package settle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// TestCurrencies checks the settlement's currency breakdown (SPEC 8) by
// each fx method, fast path and row by row: original sums as read,
// converted sums that add up to the products' own figures when a product
// has one currency, and the effective rate converted ÷ original.
func TestCurrencies(t *testing.T) {
	for _, method := range []string{"daily", "period-end", "period-average"} {
		for _, rowByRow := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/rowByRow=%v", method, rowByRow), func(t *testing.T) {
				if _, err := runFX(t, fxAgreement("USD", method), fxRates, fxRevenue, nil); err != nil {
					t.Fatal(err)
				}
				ag, err := agreement.Decode("agreement.yaml", []byte(fxAgreement("USD", method)))
				if err != nil {
					t.Fatal(err)
				}
				q1, _ := period.Parse("2025-Q1")
				res, err := Run(Options{Agreement: ag, Periods: []period.Period{q1}, RowByRow: rowByRow, Files: fxFiles(fxRates, fxRevenue)}, []string{"q1.csv"})
				if err != nil {
					t.Fatal(err)
				}
				if res.FX == nil || res.FX.Path != "fx.csv" || len(res.FX.SHA256) != 64 || res.FX.Method != method {
					t.Fatalf("fx source %+v", res.FX)
				}
				s := res.Settlements[0]
				if len(s.Currencies) != 3 {
					t.Fatalf("currencies %+v, want EUR, GBP, JPY", s.Currencies)
				}
				by := map[string]Currency{}
				var order []string
				for _, c := range s.Currencies {
					by[c.Currency] = c
					order = append(order, c.Currency)
				}
				if fmt.Sprint(order) != "[EUR GBP JPY]" {
					t.Errorf("order %v", order)
				}
				// Original sums as read, rounded to the scale.
				for cur, want := range map[string][2]string{
					"EUR": {"1383.33", "1283.33"}, "GBP": {"280.00", "280.00"}, "JPY": {"163845.00", "163845.00"},
				} {
					c := by[cur]
					if c.Gross.StringFixed(2) != want[0] || c.Basis.StringFixed(2) != want[1] {
						t.Errorf("%s gross %s basis %s, want %s %s", cur, c.Gross, c.Basis, want[0], want[1])
					}
					if c.Rate == nil || !c.Rate.Equal(money.DivPlacesEven(c.ConvertedGross, c.Gross, RateScale)) {
						t.Errorf("%s rate %v, want converted ÷ original", cur, c.Rate)
					}
				}
				// One currency per product: the converted figures are the
				// products' own (llama-b in GBP; llama-c and llama-d in JPY).
				prod := map[string]Product{}
				for _, p := range s.Products {
					prod[p.Product] = p
				}
				if g := by["GBP"].ConvertedGross; !g.Equal(prod["llama-b"].Gross) {
					t.Errorf("GBP converted gross %s, llama-b gross %s", g, prod["llama-b"].Gross)
				}
				jpy := prod["llama-c"].Gross.Add(prod["llama-d"].Gross)
				if g := by["JPY"].ConvertedGross; !g.Equal(jpy) {
					t.Errorf("JPY converted gross %s, llama-c + llama-d gross %s", g, jpy)
				}
			})
		}
	}
}

// TestCurrenciesReconcile is the partner's check: EUR 90,000.00 at 1.0350
// is USD 93,150.00, and a settlement all in USD has no breakdown.
func TestCurrenciesReconcile(t *testing.T) {
	res, err := runFX(t, fxAgreement("USD", "daily"), "date,currency,rate\n2025-01-01,EUR,1.0350\n",
		"date,host,product,currency,gross,refunds\n2025-01-05,h,m,EUR,50000.00,1000\n2025-02-05,h,m,EUR,40000.00,\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Settlements[0].Currencies
	want := Currency{Currency: "EUR", Gross: decimal.RequireFromString("90000"), Basis: decimal.RequireFromString("89000"),
		ConvertedGross: decimal.RequireFromString("93150"), ConvertedBasis: decimal.RequireFromString("92115")}
	if len(c) != 1 || c[0].Currency != "EUR" || !c[0].Gross.Equal(want.Gross) || !c[0].Basis.Equal(want.Basis) ||
		!c[0].ConvertedGross.Equal(want.ConvertedGross) || !c[0].ConvertedBasis.Equal(want.ConvertedBasis) ||
		c[0].Rate == nil || c[0].Rate.StringFixed(RateScale) != "1.0350000000" {
		t.Fatalf("currencies %+v, want %+v at rate 1.0350000000", c, want)
	}
	if !res.Settlements[0].Gross.Equal(want.ConvertedGross) {
		t.Errorf("settlement gross %s, want the converted EUR gross", res.Settlements[0].Gross)
	}

	res, err = runFX(t, fxAgreement("USD", "daily"), "date,currency,rate\n2025-01-01,EUR,1.0350\n",
		"date,host,product,currency,gross\n2025-01-05,h,m,USD,5.00\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Settlements[0].Currencies; len(c) != 0 {
		t.Errorf("USD only: currencies %+v, want none", c)
	}
}

// The breakdown sums in integers until a sum would pass an int64, then in
// decimals: the same digits as row by row (all decimals).
func TestCurrenciesOverflowFallsBack(t *testing.T) {
	yaml := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: half-up, scale: 6}\nfx: {rates: fx.csv, method: daily}\n" +
		"hosts:\n  h:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n        rates: [{rate: 10%}]\n"
	var b strings.Builder
	b.WriteString("date,host,product,currency,gross,refunds\n")
	// 12 products × 999999999999.999999 EUR at 1: each fits an int64 in
	// micro-units, their sum does not; JPY stays small (integers).
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "2025-01-%02d,h,p%02d,EUR,999999999999.999999,-0.000001\n2025-01-%02d,h,p%02d,JPY,100,1\n", i+1, i, i+1, i)
	}
	ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	rates := "date,currency,rate\n2025-01-01,EUR,1\n2025-01-01,JPY,0.0065\n"
	var got [2]string
	for k, rowByRow := range []bool{false, true} {
		res, err := Run(Options{Agreement: ag, RowByRow: rowByRow, Files: fxFiles(rates, b.String())}, []string{"q1.csv"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Settlements[0].Currencies {
			got[k] += fmt.Sprintf("%s %s %s %s %s %s\n", c.Currency, exact(c.Gross), exact(c.Basis), exact(c.ConvertedGross), exact(c.ConvertedBasis), c.Rate)
		}
	}
	want := "EUR 11999999999999.999988e-6 12000000000000e-6 11999999999999.999988e-6 12000000000000e-6 1\n" +
		"JPY 1200e-6 1188e-6 7.8e-6 7.722e-6 0.0065\n"
	if got[0] != want || got[1] != want {
		t.Errorf("fast path:\n%s\nrow by row:\n%s\nwant:\n%s", got[0], got[1], want)
	}
}
