package ingest

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// TestBatchedEqualsRowByRow reads files of many keys with rows batched
// from the first cell, from a few hundred, and never: each key's rows and
// figures are those row by row gives it (int64 sums that overflow into
// 128 bits included), and the rows of keys the Aggregator refuses
// (Classify: Slow) come back row by row in line order, each once.
func TestBatchedEqualsRowByRow(t *testing.T) {
	a, err := fuzzAg()
	if err != nil {
		t.Fatal(err)
	}
	defer func(v int32) { batchFrom = v }(batchFrom)
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 17))
		var b strings.Builder
		b.WriteString("date,host,product,currency,gross,refunds,taxes,fees,credits,units\n")
		rows := 3000 + r.IntN(3000)
		for i := range rows {
			host := []string{"aws", "azure", "AWS"}[r.IntN(3)]
			product := fmt.Sprintf("p%d", r.IntN(400))
			if r.IntN(50) == 0 {
				product = fmt.Sprintf("bad-%d", r.IntN(5)) // refused: row by row
				if r.IntN(2) == 0 {
					product = `"` + product + `"` // a quoted line is never batched
				}
			}
			gross := fmt.Sprintf("%d.%02d", r.IntN(100000), r.IntN(100))
			if r.IntN(20) == 0 {
				// Eleven in a cell leave int64: its sums go wide.
				host, product, gross = "aws", "p0", "900000000000.25"
			}
			fmt.Fprintf(&b, "2025-%02d-%02d,%s,%s,%s,%s,1.00,0,0.5,0,%d\n", 1+i*12/rows, 1+r.IntN(28), host, product,
				[]string{"USD", "EUR", "GBP"}[r.IntN(3)], gross, r.IntN(1000))
		}
		data := []byte(b.String())
		want := batchRead(t, a, data, false, 4096)
		for _, from := range []int32{0, 300, math.MaxInt32} {
			batchFrom = from
			for _, block := range []int{512, 4096, DefaultBlockSize} {
				got := batchRead(t, a, data, true, block)
				if d := want.byKey.diff(got.byKey); len(d) > 0 {
					t.Fatalf("seed %d, batched from %d, block %d: sums per key differ:\n%s", seed, from, block, strings.Join(d[:min(5, len(d))], "\n"))
				}
				if got.rows != want.rows || got.good != want.good {
					t.Fatalf("seed %d, batched from %d, block %d: %d rows, %d good; row by row %d, %d", seed, from, block, got.rows, got.good, want.rows, want.good)
				}
				if !slices.Equal(got.slowLines, want.slowLines) {
					t.Fatalf("seed %d, batched from %d, block %d: refused rows' lines differ:\n%v\n%v", seed, from, block, got.slowLines, want.slowLines)
				}
			}
		}
	}
}

type batchTally struct {
	rows, good int
	byKey      keyTally
	slowLines  []int // lines of refused keys' rows, in the order given
}

// batchRead reads data with the fast path (keys of products "bad-*"
// refused) or row by row.
func batchRead(t *testing.T, a *agreement.Agreement, data []byte, aggregate bool, block int) batchTally {
	t.Helper()
	bt := batchTally{byKey: keyTally{}}
	opts := Options{Agreement: a, Format: Canonical, Stdin: bytes.NewReader(data), BlockSize: block}
	if aggregate {
		opts.Aggregate = &Aggregator{
			Classify: func(k *Key) Verdict {
				if strings.HasPrefix(k.Product, "bad-") {
					return Slow
				}
				return Keep
			},
			Group: func(g *Group) {
				bt.good += g.Rows
				bt.byKey.add(keyOf(g.Host, g.Product, g.Currency, g.Period, g.Ignored), g.Rows,
					g.Gross(), g.Refunds(), g.Taxes(), g.Fees(), g.Credits(), g.Units())
			},
			Outside: func(k *Key, rows int) { t.Errorf("outside %+v", k) },
		}
	}
	in, err := ReadFile("-", opts, func(r *Row) error {
		if strings.HasPrefix(r.Product, "bad-") {
			bt.slowLines = append(bt.slowLines, r.Line)
		}
		bt.good++
		bt.byKey.add(keyOf(r.Host, r.Product, r.Currency, r.Period, r.Ignored), 1,
			r.Gross, r.Refunds, r.Taxes, r.Fees, r.Credits, r.Units)
		return nil
	}, func(b BadRow) { t.Errorf("bad row %d: %s", b.Line, b.Reason) })
	if err != nil {
		t.Fatal(err)
	}
	bt.rows = in.Rows
	return bt
}
