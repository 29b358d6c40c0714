package report

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/settle"
)

// CurrencyLine is one original currency of a statement, as text for
// people: what the host's own report shows, and what it became in the
// settlement currency (SPEC 8, "FX is evidence").
type CurrencyLine struct {
	Currency                       string
	Gross, Basis                   string // in Currency
	ConvertedGross, ConvertedBasis string // in the settlement currency
	Rate                           string // effective rate, 10 places; "" when gross is zero
}

// currencyLines formats a settlement's currency breakdown.
func currencyLines(s *settle.Settlement, g func(decimal.Decimal) string) []CurrencyLine {
	var out []CurrencyLine
	for _, c := range s.Currencies {
		l := CurrencyLine{Currency: c.Currency, Gross: g(c.Gross), Basis: g(c.Basis),
			ConvertedGross: g(c.ConvertedGross), ConvertedBasis: g(c.ConvertedBasis)}
		if c.Rate != nil {
			l.Rate = c.Rate.StringFixed(settle.RateScale)
		}
		out = append(out, l)
	}
	return out
}

// fxText names the rates file for a footer: "fx-rates.csv (daily)".
func fxText(fx *FXRef) string {
	return fmt.Sprintf("%s (%s)", fx.Path, fx.Method)
}

// currencies prints the original-currency breakdown of explain's step 1,
// so a partner can reconcile its own report: EUR 90,000.00 → USD 93,150.00.
func (e *explainer) currencies(s *settle.Settlement) {
	if len(s.Currencies) == 0 {
		return
	}
	from := ""
	if e.fx != nil {
		from = fmt.Sprintf(", rates from %s (%s)", e.fx.Path, e.fx.Method)
	}
	e.printf("   in original currencies (effective rate = converted gross ÷ gross%s):\n", from)
	for _, l := range currencyLines(s, e.m) {
		rate := l.Rate
		if rate == "" {
			rate = "none (gross 0)"
		}
		e.printf("     %s gross %s, basis %s → %s gross %s, basis %s; rate %s\n",
			l.Currency, l.Gross, l.Basis, e.ag.Currency, l.ConvertedGross, l.ConvertedBasis, rate)
	}
}
