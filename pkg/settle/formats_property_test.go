package settle

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

// A partner format only changes how rows are written, never what they
// settle to: random rows in four currencies, written once as canonical CSV
// and once in a randomly drawn partner layout (delimiter, decimal comma,
// date format or RFC 3339 timestamps, grouped and bracketed amounts,
// currency symbols, negated columns, product renames, title lines, footer
// rows, or a ledger with one amount column typed by a kind column), settle
// to the same figures under each fx method.

type propRow struct {
	day      time.Time
	host     string
	product  string
	currency string
	figs     [6]decimal.Decimal // gross, refunds, taxes, fees, credits, units
}

var figNames = [6]string{"gross", "refunds", "taxes", "fees", "credits", "units"}

const propRates = `date,currency,rate
2024-12-31,EUR,1.0389
2025-01-15,EUR,1.0401
2025-02-03,EUR,1.0377
2025-03-31,EUR,1.0815
2025-05-02,EUR,1.1290
2025-06-30,EUR,1.1712
2024-12-31,GBP,1.2529
2025-02-20,GBP,1.2650
2025-04-10,GBP,1.3121
2024-12-31,JPY,0.006362
2025-03-03,JPY,0.006701
2025-05-20,JPY,0.006893
`

func drawAmount(t *rapid.T, label string, places int, maxUnits int64) decimal.Decimal {
	n := rapid.Int64Range(-maxUnits/10, maxUnits).Draw(t, label)
	return decimal.New(n, int32(-places))
}

func drawRows(t *rapid.T) []propRow {
	products := []string{"llama-3.1-405b", "llama-4-scout", "llama-3.3-70b"}
	currencies := []string{"USD", "EUR", "GBP", "JPY"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	n := rapid.IntRange(1, 25).Draw(t, "rows")
	rows := make([]propRow, n)
	for i := range rows {
		r := &rows[i]
		r.day = start.AddDate(0, 0, rapid.IntRange(0, 180).Draw(t, "day"))
		r.host = rapid.SampledFrom([]string{"h1", "h2"}).Draw(t, "host")
		r.product = rapid.SampledFrom(products).Draw(t, "product")
		r.currency = rapid.SampledFrom(currencies).Draw(t, "currency")
		places := 2
		if r.currency == "JPY" {
			places = 0
		}
		r.figs[0] = drawAmount(t, "gross", places, 200_000_000)
		for f := 1; f < 5; f++ {
			if rapid.Bool().Draw(t, "has-"+figNames[f]) {
				r.figs[f] = drawAmount(t, figNames[f], places, 2_000_000).Abs()
			}
		}
		r.figs[5] = decimal.NewFromInt(rapid.Int64Range(0, 5_000_000_000).Draw(t, "units"))
	}
	return rows
}

// layout is one drawn partner layout.
type propLayout struct {
	delim    rune
	decimal  byte
	date     string // date_format, "" = RFC 3339 timestamps
	negate   [6]bool
	rename   bool
	skip     int
	footer   bool
	ledger   bool
	symbol   bool
	parens   bool
	grouping bool
}

func drawLayout(t *rapid.T) propLayout {
	l := propLayout{
		delim:    rapid.SampledFrom([]rune{',', ';', '\t', '|'}).Draw(t, "delimiter"),
		decimal:  rapid.SampledFrom([]byte{'.', ','}).Draw(t, "decimal"),
		date:     rapid.SampledFrom([]string{"", "MM/DD/YYYY", "M/D/YYYY", "DD.MM.YYYY", "MMM D, YYYY", "YYYY/M/D", "D MMM YYYY"}).Draw(t, "date_format"),
		rename:   rapid.Bool().Draw(t, "products"),
		skip:     rapid.IntRange(0, 2).Draw(t, "skip_lines"),
		footer:   rapid.Bool().Draw(t, "ignore_prefix"),
		ledger:   rapid.Bool().Draw(t, "ledger"),
		symbol:   rapid.Bool().Draw(t, "symbol"),
		parens:   rapid.Bool().Draw(t, "parens"),
		grouping: rapid.Bool().Draw(t, "grouping"),
	}
	for f := 1; f < 5; f++ {
		l.negate[f] = rapid.Bool().Draw(t, "negate-"+figNames[f])
	}
	return l
}

// amount writes d as a partner would under l.
func (l propLayout) amount(d decimal.Decimal, places int32) string {
	s := d.Abs().StringFixed(places)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	group := ","
	if l.decimal == ',' {
		group = "."
	}
	if l.grouping {
		var b strings.Builder
		for i := 0; i < len(intPart); i++ {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteString(group)
			}
			b.WriteByte(intPart[i])
		}
		intPart = b.String()
	}
	out := intPart
	if frac != "" {
		out += string(l.decimal) + frac
	}
	if l.symbol {
		out = "$" + out
	}
	if d.Sign() < 0 {
		if l.parens {
			return "(" + out + ")"
		}
		return "-" + out
	}
	return out
}

func (l propLayout) dateText(day time.Time) string {
	if l.date == "" {
		// A timestamp whose UTC date is the day: 10:15 at +05:00 is 05:15 UTC.
		return day.Format("2006-01-02") + "T10:15:00+05:00"
	}
	r := strings.NewReplacer("YYYY", "2006", "MMM", "Jan", "MM", "01", "DD", "02", "M", "1", "D", "2")
	return day.Format(r.Replace(l.date))
}

// formatYAML declares the layout as format "partner" for host.
func (l propLayout) formatYAML(host string, rows []propRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "formats:\n  partner:\n    host: %s\n", host)
	fmt.Fprintf(&b, "    delimiter: %q\n    decimal: %q\n", string(l.delim), string(l.decimal))
	if l.date != "" {
		fmt.Fprintf(&b, "    date_format: %s\n", l.date)
	}
	if l.skip > 0 {
		fmt.Fprintf(&b, "    skip_lines: %d\n", l.skip)
	}
	if l.footer {
		b.WriteString("    ignore_prefix: Total_\n")
	}
	if l.ledger {
		b.WriteString("    columns: {date: Posted, product: Item Code, currency: Ccy}\n    amount: Value\n    kind: Entry Type\n")
		b.WriteString("    kinds: {SALE: gross, RETURN: refunds, VAT: taxes, COMMISSION: fees, PROMO: credits, TOKENS: units, PAYOUT: ignore}\n")
	} else {
		b.WriteString("    columns: {date: Posted, product: Item Code, currency: Ccy, gross: Sales, refunds: Returns, taxes: VAT, fees: Commission, credits: Promo, units: Tokens}\n")
	}
	var neg []string
	for f := 1; f < 5; f++ {
		if l.negate[f] {
			neg = append(neg, figNames[f])
		}
	}
	if len(neg) > 0 {
		fmt.Fprintf(&b, "    negate: [%s]\n", strings.Join(neg, ", "))
	}
	if l.rename {
		b.WriteString("    products:\n")
		seen := map[string]bool{}
		for _, r := range rows {
			if !seen[r.product] {
				seen[r.product] = true
				fmt.Fprintf(&b, "      %q: %s\n", partnerID(r.product), r.product)
			}
		}
	}
	return b.String()
}

func partnerID(product string) string { return "SKU-" + strings.ToUpper(product) }

// partnerFile writes host's rows in layout l.
func (l propLayout) partnerFile(host string, rows []propRow) []byte {
	var b bytes.Buffer
	for i := 0; i < l.skip; i++ {
		fmt.Fprintf(&b, "Revenue report %d for %s\n", i+1, host)
	}
	w := csv.NewWriter(&b)
	w.Comma = l.delim
	kinds := [6]string{"SALE", "RETURN", "VAT", "COMMISSION", "PROMO", "TOKENS"}
	if l.ledger {
		_ = w.Write([]string{"Posted", "Entry Type", "Item Code", "Value", "Ccy", "Memo"})
	} else {
		_ = w.Write([]string{"Posted", "Item Code", "Ccy", "Sales", "Returns", "VAT", "Commission", "Promo", "Tokens", "Memo"})
	}
	for _, r := range rows {
		if r.host != host {
			continue
		}
		places := int32(2)
		if r.currency == "JPY" {
			places = 0
		}
		product := r.product
		if l.rename {
			product = partnerID(product)
		}
		val := func(f int) string {
			d := r.figs[f]
			if l.negate[f] {
				d = d.Neg()
			}
			if f == 5 {
				return l.amount(d, 0)
			}
			return l.amount(d, places)
		}
		date := l.dateText(r.day)
		if l.ledger {
			for f := 0; f < 6; f++ {
				if f == 0 || !r.figs[f].IsZero() {
					_ = w.Write([]string{date, kinds[f], product, val(f), r.currency, "x"})
				}
			}
			_ = w.Write([]string{date, "PAYOUT", "", l.amount(decimal.NewFromInt(-1), 2), r.currency, "payout"})
			continue
		}
		_ = w.Write([]string{date, product, r.currency, val(0), val(1), val(2), val(3), val(4), val(5), "memo"})
	}
	if l.footer {
		_ = w.Write([]string{"Total_Rows", "n"})
	}
	w.Flush()
	return b.Bytes()
}

func canonicalFile(rows []propRow) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"date", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units"})
	for _, r := range rows {
		rec := []string{r.day.Format("2006-01-02"), r.host, r.product, r.currency}
		for _, f := range r.figs {
			rec = append(rec, f.String())
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

func TestFormatInvariance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		texts := map[string]string{}
		rows := drawRows(t)
		method := rapid.SampledFrom([]string{"daily", "period-end", "period-average"}).Draw(t, "method")
		layouts := map[string]propLayout{"h1": drawLayout(t), "h2": drawLayout(t)}
		hostsYAML := "hosts:\n" +
			"  h1:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds, taxes, fees, credits]\n        rates:\n          - products: [\"llama-3.1-*\"]\n            rate: 12.5%\n          - rate: 10%\n" +
			"  h2:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds, fees]\n        rates:\n          - per_unit: {price: 0.02, per: 1_000_000}\n            products: [\"llama-4-*\"]\n          - rate: 7.25%\n"
		head := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nfx: {rates: fx.csv, method: " + method + "}\n"
		write := func(name string, data []byte) string {
			texts[name] = string(data)
			return name
		}
		write("fx.csv", []byte(propRates))
		settleWith := func(yaml string, files []string) *Result {
			ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
			if err != nil {
				t.Fatalf("agreement: %v\n%s", err, yaml)
			}
			ps, _ := period.Span("2025-Q1..2025-Q3", ag.Period)
			res, err := Run(Options{Agreement: ag, Periods: ps, Files: memFiles(texts)}, files)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			return res
		}
		want := settleWith(head+hostsYAML, []string{write("canonical.csv", canonicalFile(rows))})
		// One partner file per host, each read under its own agreement's
		// single format (two formats in one agreement could tie).
		var got []*Result
		for _, h := range []string{"h1", "h2"} {
			l := layouts[h]
			name := "partner-" + h + ".csv"
			if l.delim == '\t' && rapid.Bool().Draw(t, "tsv") {
				name = "partner-" + h + ".tsv"
			}
			yaml := head + hostsYAML + l.formatYAML(h, rows)
			res := settleWith(yaml, []string{write(name, l.partnerFile(h, rows))})
			if res.Inputs[0].Format != "partner" || res.Inputs[0].Rejected != 0 {
				t.Fatalf("%s: %+v", name, res.Inputs[0])
			}
			got = append(got, res)
		}
		if w, g := settlementText(want, "h1")+settlementText(want, "h2"), settlementText(got[0], "h1")+settlementText(got[1], "h2"); w != g {
			t.Fatalf("canonical:\n%s\npartner:\n%s", w, g)
		}
	})
}

// settlementText renders host's settlements and lines.
func settlementText(res *Result, host string) string {
	var b strings.Builder
	for _, s := range res.Settlements {
		if s.Host.ID != host {
			continue
		}
		fmt.Fprintf(&b, "%s %s gross=%s refunds=%s taxes=%s fees=%s credits=%s basis=%s share=%s payable=%s\n",
			s.Host.ID, s.Period, s.Gross.StringFixed(2), s.Refunds.StringFixed(2), s.Taxes.StringFixed(2), s.Fees.StringFixed(2),
			s.Credits.StringFixed(2), s.Basis.StringFixed(2), s.Share.StringFixed(2), s.Payable.StringFixed(2))
		for _, l := range s.Lines {
			fmt.Fprintf(&b, "  %s %s %s %s %s\n", l.Rule.Name, l.Product, l.Basis.StringFixed(2), l.Units, l.Share.StringFixed(2))
		}
	}
	return b.String()
}
