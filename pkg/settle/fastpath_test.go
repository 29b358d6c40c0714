package settle

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/money"
)

// messyCell writes an amount in one of the forms a partner file may hold:
// plain, with a sign, with many digits, grouped and quoted, in
// parentheses, with a symbol, with spaces, or empty.
func messyAmount(t *rapid.T, label string) string {
	cents := rapid.Int64Range(-5_000_000, 50_000_000).Draw(t, label)
	sign, abs := "", cents
	if cents < 0 {
		sign, abs = "-", -cents
	}
	plain := fmt.Sprintf("%s%d.%02d", sign, abs/100, abs%100)
	switch rapid.IntRange(0, 9).Draw(t, label+"-form") {
	case 0:
		return fmt.Sprintf("%s%d.%02d000000000000000001", sign, abs/100, abs%100) // 22 decimals
	case 1:
		return "12345678901234567890123.25" // beyond int64
	case 2:
		return `"` + money.Group(mustDec(plain).Percent(), 2) + `"`
	case 3:
		if cents < 0 {
			return fmt.Sprintf("(%d.%02d)", abs/100, abs%100)
		}
		return "$" + plain
	case 4:
		return " " + plain + " "
	case 5:
		return ""
	case 6:
		return fmt.Sprintf("%s%d.%03d", sign, abs/100, (abs%100)*10+7)
	}
	return plain
}

// TestFastPathEqualsRowByRow settles generated files, messy on purpose,
// through the fast path (in small blocks, so that files are cut in many
// places) and row by row, and requires the same settlements, the same
// reconciliation and the same bad rows.
func TestFastPathEqualsRowByRow(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		mode := rapid.SampledFrom(money.Modes).Draw(rt, "rounding")
		ag := fmt.Sprintf("schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: %s}\n", mode) +
			"fx: {rates: fx.csv}\nhosts:\n  h1:\n    aliases: [Host One]\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds, fees]\n" +
			"        rates:\n          - {products: [\"a*\"], tiers: {window: year, bands: [{up_to: 5000, rate: 10%}, {rate: 20%}]}}\n          - {rate: 12.5%}\n" +
			"  h2:\n    terms:\n      - from: 2025-04-01\n        rates:\n          - {products: [\"b*\"], per_unit: {price: 0.03, per: 7}}\n"
		var b strings.Builder
		eol := "\n"
		if rapid.Bool().Draw(rt, "crlf") {
			eol = "\r\n"
		}
		b.WriteString("date,host,product,currency,gross,refunds,fees,units,region" + eol)
		n := rapid.IntRange(0, 60).Draw(rt, "rows")
		for i := 0; i < n; i++ {
			date := fmt.Sprintf("2025-%02d-%02d", rapid.IntRange(1, 9).Draw(rt, "m"), rapid.IntRange(1, 28).Draw(rt, "d"))
			switch rapid.IntRange(0, 12).Draw(rt, "date-form") {
			case 0:
				date += "T23:30:00-02:00" // the next day in UTC
			case 1:
				date = "2025-02-30" // bad
			}
			host := rapid.SampledFrom([]string{"h1", "H1", " h1 ", "Host One", "h2", "nobody", ""}).Draw(rt, "host")
			product := rapid.SampledFrom([]string{"a1", "A1", "a2", "b1", " B1", "zz", "", `"a,1"`}).Draw(rt, "product")
			currency := rapid.SampledFrom([]string{"", "USD", "usd", "EUR", "GBP", "XX"}).Draw(rt, "currency")
			units := fmt.Sprint(rapid.Int64Range(0, 1_000_000_000).Draw(rt, "units"))
			fields := []string{date, host, product, currency, messyAmount(rt, "gross"), messyAmount(rt, "refunds"), messyAmount(rt, "fees"), units, "eu"}
			if rapid.IntRange(0, 20).Draw(rt, "ragged") == 0 {
				fields = fields[:5]
			}
			if rapid.IntRange(0, 20).Draw(rt, "blank") == 0 {
				fields = []string{"", "", "", "", "", "", "", "", ""}
			}
			b.WriteString(strings.Join(fields, ",") + eol)
		}
		csv := b.String()
		block := rapid.IntRange(120, 2000).Draw(rt, "block")

		path := "r.csv"
		files := memFiles(map[string]string{path: csv, "fx.csv": "date,currency,rate\n2025-01-01,EUR,1.1\n2025-06-01,EUR,1.2\n2025-03-01,GBP,1.300000000000001\n"})
		a, err := agreement.Decode("agreement.yaml", []byte(ag))
		must(t, err)

		settleBoth := func(rowByRow bool) (string, []string, error) {
			var rejects []string
			res, err := Run(Options{Agreement: a, Files: files, RowByRow: rowByRow, BlockSize: block, Reject: func(b ingest.BadRow) error {
				rejects = append(rejects, fmt.Sprintf("%d %s: %s %q", b.Line, b.Column, b.Reason, b.Fields))
				return nil
			}}, []string{path})
			if err != nil {
				return "", nil, err
			}
			if !rowByRow {
				leanAgrees(rt, Options{Agreement: a, Files: files, BlockSize: block, Reject: func(ingest.BadRow) error { return nil }}, []string{path}, res)
			}
			sort.Strings(rejects)
			return fingerprint(res) + fmt.Sprintf("%+v", res.Inputs) + fmt.Sprint(res.Periods), rejects, nil
		}
		slow, slowRejects, err1 := settleBoth(true)
		fast, fastRejects, err2 := settleBoth(false)
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			rt.Fatalf("errors differ:\nrow by row: %v\nfast: %v", err1, err2)
		}
		if slow != fast {
			rt.Fatalf("settlements differ (block %d):\nrow by row:\n%s\nfast:\n%s\ninput:\n%s", block, slow, fast, csv)
		}
		if fmt.Sprint(slowRejects) != fmt.Sprint(fastRejects) {
			rt.Fatalf("bad rows differ:\nrow by row: %q\nfast: %q", slowRejects, fastRejects)
		}
	})
}

func mustDec(s string) money.Rate { r, _ := money.ParseRate(s + "%"); return r }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
