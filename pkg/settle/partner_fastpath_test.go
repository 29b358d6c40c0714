package settle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
)

// TestPartnerFastEqualsRowByRow is TestFastPathEqualsRowByRow for every
// partner layout an agreement can declare: random rows written in a
// random layout (delimiter, decimal comma, every date_format or RFC 3339
// timestamps, a ledger with amount and kind and an ignored kind, negated
// columns, product renames, skip_lines, ignore_prefix, fields quoted with
// the delimiter and doubled quotes inside), spoilt here and there (bad
// dates, kinds and amounts, bare and unbalanced quotes, a record over two
// lines, ragged and blank rows), and settled through the fast path, cut in
// blocks of a random size, and row by row. Both must give the same
// settlements, reconciliation and bad rows, in the same order.
func TestPartnerFastEqualsRowByRow(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rows := drawRows(rt)
		l := drawLayout(rt)
		// The plain amount forms most of the time, so that most rows
		// take the fast path and the others are the exceptions.
		for _, b := range []*bool{&l.symbol, &l.parens, &l.grouping} {
			*b = *b && rapid.IntRange(0, 3).Draw(rt, "messy-amounts") == 0
		}
		quoted := partnerQuoting{
			all:   rapid.IntRange(0, 3).Draw(rt, "quote-all") == 0,
			weird: rapid.Bool().Draw(rt, "weird-ids"),
		}
		method := rapid.SampledFrom([]string{"daily", "period-end", "period-average"}).Draw(rt, "method")
		yaml := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nfx: {rates: fx.csv, method: " + method + "}\n" +
			"hosts:\n  h1:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds, taxes, fees, credits]\n" +
			"        rates:\n          - products: [\"llama-3.1-*\"]\n            rate: 12.5%\n          - products: [\"llama-4-*\"]\n            rate: 10%\n" +
			"  h2:\n    terms:\n      - from: 2025-01-01\n        rates: [{rate: 5%}]\n"
		var ids map[string]string
		if l.rename {
			ids = map[string]string{}
			for _, r := range rows {
				ids[r.product] = quoted.id(r.product, l.delim)
			}
			plain := l
			plain.rename = false
			yaml += plain.formatYAML("h1", nil) + "    products:\n"
			for p, id := range ids {
				yaml += fmt.Sprintf("      %q: %s\n", id, p)
			}
		} else {
			yaml += l.formatYAML("h1", nil)
		}
		// Rows of h2 become rows of h1: the format fixes the host.
		for i := range rows {
			rows[i].host = "h1"
		}
		// A product no rule matches: its rows are rejected by the terms.
		if rapid.IntRange(0, 3).Draw(rt, "unruled") == 0 {
			rows[0].product = "gemma-2"
			if ids != nil {
				yaml += fmt.Sprintf("      %q: gemma-2\n", quoted.id("gemma-2", l.delim))
				ids["gemma-2"] = quoted.id("gemma-2", l.delim)
			}
		}
		data := quoted.file(rt, l, rows, ids)
		block := rapid.IntRange(64, 2048).Draw(rt, "block")

		path := "partner.csv"
		files := memFiles(map[string]string{"fx.csv": propRates, path: string(data)})
		a, err := agreement.Decode("agreement.yaml", []byte(yaml))
		if err != nil {
			rt.Fatalf("agreement: %v\n%s", err, yaml)
		}
		settle := func(rowByRow bool) (string, []string, error) {
			var rejects []string
			res, err := Run(Options{Agreement: a, Files: files, RowByRow: rowByRow, BlockSize: block, Reject: func(b ingest.BadRow) error {
				rejects = append(rejects, fmt.Sprintf("%d %s: %s %q", b.Line, b.Column, b.Reason, b.Fields))
				return nil
			}}, []string{path})
			if err != nil {
				return "", nil, err
			}
			return fingerprint(res) + fmt.Sprintf("%+v", res.Inputs) + fmt.Sprint(res.Periods), rejects, nil
		}
		slow, slowRejects, err1 := settle(true)
		fast, fastRejects, err2 := settle(false)
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			rt.Fatalf("errors differ:\nrow by row: %v\nfast: %v\ninput:\n%s", err1, err2, data)
		}
		if slow != fast {
			rt.Fatalf("settlements differ (block %d):\nrow by row:\n%s\nfast:\n%s\ninput:\n%s", block, slow, fast, data)
		}
		if strings.Join(slowRejects, "\n") != strings.Join(fastRejects, "\n") {
			rt.Fatalf("bad rows differ (block %d):\nrow by row:\n%s\nfast:\n%s\ninput:\n%s", block, strings.Join(slowRejects, "\n"), strings.Join(fastRejects, "\n"), data)
		}
	})
}

// partnerQuoting is how a generated partner file quotes its fields.
type partnerQuoting struct {
	all   bool // quote every field, needed or not
	weird bool // product ids hold the delimiter and quotes
}

// id is the partner's id of a product.
func (q partnerQuoting) id(product string, delim rune) string {
	if q.weird {
		return `SKU "` + strings.ToUpper(product) + `"` + string(delim) + "v1"
	}
	return partnerID(product)
}

// field writes one field, quoted when it must be (or always, with all).
func (q partnerQuoting) field(b *strings.Builder, s string, delim rune) {
	if !q.all && !strings.ContainsAny(s, "\"\r\n"+string(delim)) && !strings.HasPrefix(s, " ") {
		b.WriteString(s)
		return
	}
	b.WriteString(`"` + strings.ReplaceAll(s, `"`, `""`) + `"`)
}

func (q partnerQuoting) record(b *strings.Builder, fields []string, delim rune, eol string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteRune(delim)
		}
		q.field(b, f, delim)
	}
	b.WriteString(eol)
}

// file writes rows in layout l (as partnerFile does) and mixes in lines
// a partner file should not hold, each drawn now and then.
func (q partnerQuoting) file(rt *rapid.T, l propLayout, rows []propRow, ids map[string]string) []byte {
	var b strings.Builder
	eol := "\n"
	if rapid.Bool().Draw(rt, "crlf") {
		eol = "\r\n"
	}
	for i := 0; i < l.skip; i++ {
		fmt.Fprintf(&b, "Revenue report %d, \"draft\"%s", i+1, eol)
	}
	kinds := [6]string{"SALE", "RETURN", "VAT", "COMMISSION", "PROMO", "TOKENS"}
	if l.ledger {
		q.record(&b, []string{"Posted", "Entry Type", "Item Code", "Value", "Ccy", "Memo"}, l.delim, eol)
	} else {
		q.record(&b, []string{"Posted", "Item Code", "Ccy", "Sales", "Returns", "VAT", "Commission", "Promo", "Tokens", "Memo"}, l.delim, eol)
	}
	d := string(l.delim)
	for _, r := range rows {
		places := int32(2)
		if r.currency == "JPY" {
			places = 0
		}
		product := r.product
		if ids != nil {
			product = ids[r.product]
		}
		val := func(f int) string {
			v := r.figs[f]
			if l.negate[f] {
				v = v.Neg()
			}
			if f == 5 {
				return l.amount(v, 0)
			}
			return l.amount(v, places)
		}
		date := l.dateText(r.day)
		memo := rapid.SampledFrom([]string{"memo", "", `say "hi"`, "a" + d + "b", " padded "}).Draw(rt, "memo")
		var recs [][]string
		if l.ledger {
			for f := 0; f < 6; f++ {
				if f == 0 || !r.figs[f].IsZero() {
					recs = append(recs, []string{date, kinds[f], product, val(f), r.currency, memo})
				}
			}
			payout := rapid.SampledFrom([]string{"", "anything", product}).Draw(rt, "payout-product")
			recs = append(recs, []string{date, rapid.SampledFrom([]string{"PAYOUT", "payout", " Payout "}).Draw(rt, "payout"), payout, l.amount(decimal.NewFromInt(-1), 2), r.currency, "payout"})
		} else {
			recs = append(recs, []string{date, product, r.currency, val(0), val(1), val(2), val(3), val(4), val(5), memo})
		}
		for _, rec := range recs {
			q.spoil(rt, &b, rec, l, eol)
		}
	}
	if l.footer {
		q.record(&b, []string{"Total_Rows", "n"}, l.delim, eol)
	}
	if rapid.IntRange(0, 9).Draw(rt, "unclosed") == 0 {
		// A quote never closed: the rest of the file is one bad record.
		b.WriteString(`"never closed` + eol + "2025-01-01" + string(l.delim) + "x" + eol)
	}
	return []byte(b.String())
}

// spoil writes rec, or (now and then) a spoilt version of it, or an
// extra line before it.
func (q partnerQuoting) spoil(rt *rapid.T, b *strings.Builder, rec []string, l propLayout, eol string) {
	d := string(l.delim)
	switch rapid.IntRange(0, 40).Draw(rt, "spoil") {
	case 0:
		rec[0] = "2025-02-30" // bad date in any format
	case 1:
		rec[1] = "REFUND?" // bad kind (or product)
	case 2:
		rec[3] = "12" + d + "5" // a ragged row, or a bad amount when quoted
	case 3:
		rec[2] = "bare\"quote" // written as is below: a bare quote
		b.WriteString(strings.Join(rec, d) + eol)
		return
	case 4:
		b.WriteString(`"unbalanced` + d + `x"y` + d + "z" + eol) // a quote closed mid-field
	case 5:
		rec[2] = "two\nlines" // a record over two lines
	case 6:
		b.WriteString(strings.Repeat(d, len(rec)-1) + eol) // a blank row
	case 7:
		b.WriteString(eol) // a blank line
	case 8:
		rec[len(rec)-2] = "usd" // a lower-case currency
	case 9:
		rec[0] = " " + rec[0] + " " // a padded date
	case 10:
		rec[1] = `""` // an empty quoted field
		b.WriteString(strings.Join(rec, d) + eol)
		return
	}
	q.record(b, rec, l.delim, eol)
}
