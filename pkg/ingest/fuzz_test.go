package ingest

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

// fuzzAgreement declares a partner format in the German spreadsheet style
// (';', decimal comma, DD.MM.YYYY, a negated column), a billing-event
// ledger with kinds (one ignored), and a '|' export with a title line, a
// footer and `MMM D, YYYY` dates, beside the canonical header.
const fuzzAgreement = `schema: llamashare/v1
currency: USD
period: quarter
hosts:
  aws:
    aliases: [AWS, Amazon Bedrock]
    terms:
      - from: 2025-01-01
        rates: [{rate: 10%}]
  azure:
    terms:
      - from: 2025-01-01
        rates: [{rate: 10%}]
formats:
  eu:
    host: azure
    delimiter: ";"
    decimal: ","
    date_format: DD.MM.YYYY
    columns: {date: Datum, product: Produkt, gross: Umsatz, refunds: Erstattung, currency: Waehrung}
    negate: [refunds]
    products: {P-1: llama-3-8b}
  ledger:
    host: aws
    columns: {date: invoice_date, product: product_id, currency: currency, units: qty}
    amount: amount
    kind: type
    kinds: {REV: gross, REFUND: refunds, FEE: fees, TAX: ignore, UNITS: units}
    negate: [refunds, fees]
  pipes:
    host: aws
    delimiter: "|"
    date_format: MMM D, YYYY
    skip_lines: 1
    ignore_prefix: Total
    columns: {date: When, product: Item, currency: Cur, gross: Amount, units: Qty}
    negate: [gross]
`

// fuzzHeaders are the header lines a fuzzed body is read under, with the
// format that reads them.
var fuzzHeaders = []struct{ format, header string }{
	{Canonical, "date,period,host,product,currency,gross,refunds,taxes,fees,credits,units,region"},
	{"eu", "Datum;Produkt;Umsatz;Erstattung;Waehrung"},
	{"ledger", "invoice_date,product_id,currency,type,amount,qty"},
	{"eu", `"Datum";Produkt;"Umsatz";Erstattung;Waehrung`},
	{"pipes", "Sales export, \"Q1\"\nWhen|Item|Cur|Amount|Qty"},
}

var fuzzAg = sync.OnceValues(func() (*agreement.Agreement, error) {
	return agreement.Decode("agreement.yaml", []byte(fuzzAgreement))
})

// readTally is what one read of a file saw.
type readTally struct {
	rows      int             // Input.Rows
	good, bad int             // rows given to row and bad, and rows summed into groups
	gross     decimal.Decimal // the sum of gross over good rows
	figures   string          // the sums of refunds, taxes, fees, credits and units over good rows
	badLines  []string        // line: reason of each bad row, in order
	byKey     keyTally        // rows and figures per host, product, currency and period
	err       string
}

// keyTally sums rows and their six figures per key (keyOf): the fast
// path must put each row's figures under the key row by row reads, not
// only add up to the same totals (a cell packed or merged under another
// host, product, currency or period would still).
type keyTally map[string]*[7]decimal.Decimal

// keyOf names a row's key as the fast path's groups have it: an ignored
// ledger row counts for its host and period only.
func keyOf(host *agreement.Host, product, currency string, p period.Period, ignored bool) string {
	if ignored {
		return fmt.Sprintf("%s|%s|ignored", host.ID, p)
	}
	return fmt.Sprintf("%s|%q|%s|%s", host.ID, product, currency, p)
}

func (k keyTally) add(key string, rows int, figs ...decimal.Decimal) {
	t := k[key]
	if t == nil {
		t = new([7]decimal.Decimal)
		k[key] = t
	}
	t[0] = t[0].Add(decimal.NewFromInt(int64(rows)))
	for i, v := range figs {
		t[i+1] = t[i+1].Add(v)
	}
}

// diff returns the keys whose tallies differ, as text.
func (k keyTally) diff(o keyTally) []string {
	var out []string
	for key, a := range k {
		b := o[key]
		if b == nil {
			b = new([7]decimal.Decimal)
		}
		for i := range a {
			if !a[i].Equal(b[i]) {
				out = append(out, fmt.Sprintf("%s: %v vs %v", key, *a, *b))
				break
			}
		}
	}
	for key, b := range o {
		if k[key] == nil {
			out = append(out, fmt.Sprintf("%s: none vs %v", key, *b))
		}
	}
	sort.Strings(out)
	return out
}

// tallyRead reads body (after header) from standard input, with the fast
// path (an Aggregator that keeps every key and sums its groups) or row by
// row.
func tallyRead(a *agreement.Agreement, format string, data []byte, aggregate bool, block int) readTally {
	t := readTally{byKey: keyTally{}}
	var figs [5]decimal.Decimal
	opts := Options{Agreement: a, Format: format, Stdin: bytes.NewReader(data), BlockSize: block}
	if aggregate {
		opts.Aggregate = &Aggregator{
			Classify: func(*Key) Verdict { return Keep },
			Group: func(g *Group) {
				t.good += g.Rows
				t.gross = t.gross.Add(g.Gross())
				t.byKey.add(keyOf(g.Host, g.Product, g.Currency, g.Period, g.Ignored), g.Rows,
					g.Gross(), g.Refunds(), g.Taxes(), g.Fees(), g.Credits(), g.Units())
				for i, v := range []decimal.Decimal{g.Refunds(), g.Taxes(), g.Fees(), g.Credits(), g.Units()} {
					figs[i] = figs[i].Add(v)
				}
			},
			Outside: func(k *Key, rows int) { panic(fmt.Sprintf("outside %+v: every key is kept", k)) },
		}
	}
	in, err := ReadFile("-", opts, func(r *Row) error {
		t.good++
		t.gross = t.gross.Add(r.Gross)
		t.byKey.add(keyOf(r.Host, r.Product, r.Currency, r.Period, r.Ignored), 1,
			r.Gross, r.Refunds, r.Taxes, r.Fees, r.Credits, r.Units)
		for i, v := range []decimal.Decimal{r.Refunds, r.Taxes, r.Fees, r.Credits, r.Units} {
			figs[i] = figs[i].Add(v)
		}
		return nil
	}, func(b BadRow) {
		t.bad++
		t.badLines = append(t.badLines, fmt.Sprintf("%d: %s: %s", b.Line, b.Column, b.Reason))
	})
	t.rows = in.Rows
	t.figures = fmt.Sprint(figs)
	if err != nil {
		t.err = err.Error()
	}
	return t
}

// FuzzDecodeRow writes the fuzzed bytes as the body of a report under the
// canonical header and each declared format's, and reads it with the fast
// path and row by row. Neither may panic; every row read is a good or a
// bad one; and both read the same rows, reject the same ones, and sum the
// same gross to the last digit.
func FuzzDecodeRow(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, block uint16) {
		if len(body) > 16<<10 {
			return // small inputs keep each iteration fast
		}
		a, err := fuzzAg()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range fuzzHeaders {
			data := append([]byte(h.header+"\n"), body...)
			// Blocks from 64 bytes: files are cut in many places.
			blockSize := 64 + int(block)%4096
			slow := tallyRead(a, h.format, data, false, blockSize)
			fast := tallyRead(a, h.format, data, true, blockSize)
			for _, r := range []struct {
				name string
				t    readTally
			}{{"row by row", slow}, {"fast path", fast}} {
				if r.t.err == "" && r.t.rows != r.t.good+r.t.bad {
					t.Errorf("%s, %s: %d rows read, %d good + %d bad", h.format, r.name, r.t.rows, r.t.good, r.t.bad)
				}
			}
			if slow.err != fast.err {
				t.Fatalf("%s: errors differ:\nrow by row: %s\nfast path: %s", h.format, slow.err, fast.err)
			}
			if slow.err != "" {
				continue
			}
			if slow.rows != fast.rows || slow.good != fast.good || slow.bad != fast.bad {
				t.Errorf("%s: row by row %d rows (%d good, %d bad), fast path %d (%d good, %d bad)",
					h.format, slow.rows, slow.good, slow.bad, fast.rows, fast.good, fast.bad)
			}
			if !slow.gross.Equal(fast.gross) || slow.figures != fast.figures {
				t.Errorf("%s: gross row by row %s %s, fast path %s %s", h.format, slow.gross, slow.figures, fast.gross, fast.figures)
			}
			if d := slow.byKey.diff(fast.byKey); len(d) > 0 {
				t.Errorf("%s: sums per key differ (row by row vs fast path):\n%s", h.format, strings.Join(d, "\n"))
			}
			sort.Strings(slow.badLines)
			sort.Strings(fast.badLines)
			if !slices.Equal(slow.badLines, fast.badLines) {
				t.Errorf("%s: bad rows differ:\nrow by row: %s\nfast path: %s", h.format,
					strings.Join(slow.badLines, "\n"), strings.Join(fast.badLines, "\n"))
			}
		}
	})
}
