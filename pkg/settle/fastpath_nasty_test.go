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

// nastyAmount: plain amounts with 0..6 decimals near ties, huge (12 integer
// digits) or negative.
func nastyAmount(t *rapid.T, label string) string {
	switch rapid.IntRange(0, 5).Draw(t, label+"-kind") {
	case 0:
		return "999999999999.999999"
	case 1:
		return "-999999999999.999999"
	case 2: // a tie at some scale
		dec := rapid.IntRange(1, 6).Draw(t, label+"-dec")
		ip := rapid.Int64Range(-3, 3).Draw(t, label+"-ip")
		s := fmt.Sprintf("%d.%s5", ip, strings.Repeat("0", dec-1))
		if ip == 0 && rapid.Bool().Draw(t, label+"-neg") {
			s = "-" + s
		}
		return s
	case 3:
		return fmt.Sprint(rapid.Int64Range(-999999999999, 999999999999).Draw(t, label+"-int"))
	}
	v := rapid.Int64Range(-999_999_999, 999_999_999).Draw(t, label+"-v")
	d := rapid.IntRange(0, 6).Draw(t, label+"-d")
	s := fmt.Sprint(v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= d {
		s = "0" + s
	}
	if d > 0 {
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func fullPrint(res *Result) string {
	var b strings.Builder
	b.WriteString(fingerprint(res))
	for _, s := range res.Settlements {
		fmt.Fprintf(&b, "%s %s T%s C%s S%s P%s\n", s.Host.ID, s.Period, s.Taxes, s.Credits, s.Share, s.Payable)
		for _, p := range s.Products {
			fmt.Fprintf(&b, "  p %s %d %s %s %s %s %s %s %s\n", p.Product, p.Rows, p.Gross, p.Refunds, p.Taxes, p.Fees, p.Credits, p.Units, p.Basis)
		}
	}
	return b.String()
}

// Fast path vs row by row: columns in order, a few spellings of keys
// repeated (a line's host, product and currency one span of text, looked
// up whole), or reordered (keys apart, amounts between them); quoted keys
// with doubled quotes / delimiters / CR, BOM, CRLF, trailing spaces and
// case, huge and tie amounts, rounding scale 0..6.
func TestNastyFastEqualsRowByRow(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		mode := rapid.SampledFrom(money.Modes).Draw(rt, "rounding")
		scale := rapid.IntRange(0, 6).Draw(rt, "scale")
		ag := fmt.Sprintf("schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: %s, scale: %d}\n", mode, scale) +
			"fx: {rates: fx.csv, method: " + rapid.SampledFrom([]string{"daily", "period-end", "period-average"}).Draw(rt, "fx") + "}\nhosts:\n  h1:\n    aliases: [Host One, \"Ho,st\", \"x\\\"y\"]\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds, taxes, fees, credits]\n" +
			"        rates:\n          - {rate: 12.5%}\n" +
			"  h2:\n    terms:\n      - from: 2025-01-01\n        rates:\n          - {rate: 33.333333%}\n"
		cols := []string{"date", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units", "note"}
		perm := cols // keys side by side: lines repeat their key span
		palette := rapid.IntRange(1, 3).Draw(rt, "palette")
		if rapid.Bool().Draw(rt, "permute") {
			perm = rapid.Permutation(cols).Draw(rt, "cols")
			palette = 0
		}
		var keys []map[string]string
		eol := "\n"
		if rapid.Bool().Draw(rt, "crlf") {
			eol = "\r\n"
		}
		var b strings.Builder
		if rapid.Bool().Draw(rt, "bom") {
			b.WriteString("\uFEFF")
		}
		b.WriteString(strings.Join(perm, ",") + eol)
		n := rapid.IntRange(0, 40).Draw(rt, "rows")
		for i := 0; i < n; i++ {
			f := map[string]string{}
			f["date"] = rapid.SampledFrom([]string{"2025-01-05", "2025-01-05", "2025-02-05", "2025-04-01", "2025-03-31", "2025-3-31", " 2025-01-05", "2025-01-05 ", `"2025-01-05"`, ` "2025-01-05"`, `"2025-01-05" `, `""`}).Draw(rt, "date")
			f["host"] = rapid.SampledFrom([]string{"h1", "H1", "h1 ", `"h1"`, "Host One", `"Ho,st"`, `"x""y"`, `"h2"`, "h2", `"h2` + "\r" + `"`, `"h"""`, ` "h1"`, `"h1" `, `"h1"x`, `""`, `"`, `"h1""`, "\"h1\r\n\""}).Draw(rt, "host")
			f["product"] = rapid.SampledFrom([]string{"a", "A", "a ", `"a"`, `"a,b"`, `"a""b"`, "a,b", `"a` + "\r" + `b"`, "b", `"b"`, ` "b"`, `"b" `, `""`, `"b"""`, `"""b"`}).Draw(rt, "product")
			f["currency"] = rapid.SampledFrom([]string{"", "USD", "usd", `"EUR"`, "EUR", " EUR", "eur "}).Draw(rt, "currency")
			if palette > 0 {
				// A few spellings of keys, repeated: the spans seen before.
				if len(keys) < palette {
					keys = append(keys, map[string]string{"host": f["host"], "product": f["product"], "currency": f["currency"]})
				}
				for c, v := range keys[rapid.IntRange(0, len(keys)-1).Draw(rt, "key")] {
					f[c] = v
				}
			}
			for _, c := range []string{"gross", "refunds", "taxes", "fees", "credits"} {
				f[c] = nastyAmount(rt, c)
				if rapid.IntRange(0, 6).Draw(rt, c+"-q") == 0 {
					f[c] = `"` + f[c] + `"`
				}
			}
			f["note"] = rapid.SampledFrom([]string{"", "x", `"x` + "\n" + `y"`, `"x` + "\r\n" + `y"`, `"a""b,c"`, `","`, `"` + "\n\n" + `"`}).Draw(rt, "note")
			f["units"] = fmt.Sprint(rapid.Int64Range(0, 1_000_000_000).Draw(rt, "units"))
			row := make([]string, len(perm))
			for j, c := range perm {
				row[j] = f[c]
			}
			b.WriteString(strings.Join(row, ",") + eol)
		}
		csv := b.String()
		block := rapid.IntRange(64, 4000).Draw(rt, "block")
		files := memFiles(map[string]string{"r.csv": csv, "fx.csv": "date,currency,rate\n2025-01-01,EUR,1.1\n2025-02-01,EUR,1.234567890123\n2025-04-01,EUR,0.3333333333333333\n"})
		a, err := agreement.Decode("agreement.yaml", []byte(ag))
		if err != nil {
			rt.Fatal(err)
		}
		settle := func(rowByRow bool) (string, []string, error) {
			var rejects []string
			res, err := Run(Options{Agreement: a, Files: files, RowByRow: rowByRow, BlockSize: block, Reject: func(b ingest.BadRow) error {
				rejects = append(rejects, fmt.Sprintf("%d %s: %s %q", b.Line, b.Column, b.Reason, b.Fields))
				return nil
			}}, []string{"r.csv"})
			if err != nil {
				return "", nil, err
			}
			if !rowByRow {
				leanAgrees(rt, Options{Agreement: a, Files: files, BlockSize: block, Reject: func(ingest.BadRow) error { return nil }}, []string{"r.csv"}, res)
			}
			sort.Strings(rejects)
			return fullPrint(res) + fmt.Sprintf("%+v", res.Inputs), rejects, nil
		}
		slow, sr, e1 := settle(true)
		fast, fr, e2 := settle(false)
		if e1 != nil {
			rt.Fatalf("unexpected error %v", e1)
		}
		if fmt.Sprint(e1) != fmt.Sprint(e2) {
			rt.Fatalf("errors differ:\nrow by row: %v\nfast: %v\ninput:\n%q", e1, e2, csv)
		}
		if slow != fast {
			rt.Fatalf("settlements differ (block %d):\nrow by row:\n%s\nfast:\n%s\ninput:\n%q", block, slow, fast, csv)
		}
		if fmt.Sprint(sr) != fmt.Sprint(fr) {
			rt.Fatalf("bad rows differ:\nrow by row: %q\nfast: %q\ninput:\n%q", sr, fr, csv)
		}
	})
}
