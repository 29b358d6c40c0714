package settle

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
)

// TestReaderCellsOverflowEqualsRowByRow: the reader's cells hold int64
// sums, and a converted cell's products with the rate 128-bit ones; rows
// whose sums leave them (one USD cell of 10^12-sized amounts, one EUR
// cell converted at a rate near 10^6 on alternate days with a rate near
// 10^-6, so its originals stay small while the converted sum leaves 128
// bits), cut in small blocks so that every worker holds part of each cell
// and the merge meets the overflow too, settle as row by row does, with
// the same bad rows.
func TestReaderCellsOverflowEqualsRowByRow(t *testing.T) {
	ag := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: half-even, scale: 6}\nfx: {rates: fx.csv, method: daily}\n" +
		"hosts:\n  h:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n        rates: [{rate: 12.5%}]\n"
	var fx strings.Builder
	fx.WriteString("date,currency,rate\n")
	for d := 1; d <= 28; d++ {
		rate := "1000000.123456789012"
		if d%2 == 0 {
			rate = "0.000001000001"
		}
		fmt.Fprintf(&fx, "2025-01-%02d,EUR,%s\n", d, rate)
	}
	var b strings.Builder
	b.WriteString("date,host,product,currency,gross,refunds,units\n")
	for i := 0; i < 1400; i++ {
		d := 1 + i/4%28
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "2025-01-%02d,h,p,USD,999999999999.999999,-999999999999.999999,999999999999\n", d)
		case 1:
			g := "999999999999.999999"
			if d%2 == 0 {
				g = "-" + g
			}
			fmt.Fprintf(&b, "2025-01-%02d,h,q,EUR,%s,1.5,7\n", d, g)
		case 2:
			fmt.Fprintf(&b, "2025-02-%02d,h,p,EUR,%d.25,0,1\n", d, i)
		default:
			fmt.Fprintf(&b, "2025-03-%02d,h,r%d,USD,%d.5,0,1\n", d, i%97, i)
		}
	}
	files := memFiles(map[string]string{"r.csv": b.String(), "fx.csv": fx.String()})
	a, err := agreement.Decode("agreement.yaml", []byte(ag))
	must(t, err)
	settle := func(rowByRow bool) string {
		var rejects []string
		res, err := Run(Options{Agreement: a, Files: files, RowByRow: rowByRow, BlockSize: 512, Reject: func(b ingest.BadRow) error {
			rejects = append(rejects, fmt.Sprintf("%d %s: %s", b.Line, b.Column, b.Reason))
			return nil
		}}, []string{"r.csv"})
		must(t, err)
		sort.Strings(rejects)
		return fullPrint(res) + fmt.Sprintf("%+v\n", res.Inputs) + strings.Join(rejects, "\n")
	}
	slow, fast := settle(true), settle(false)
	if slow != fast {
		t.Fatalf("fast path:\n%s\nrow by row:\n%s", fast, slow)
	}
}
