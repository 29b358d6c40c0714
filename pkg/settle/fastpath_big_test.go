package settle

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
)

// Fast vs row by row past the workers' bounds: more than 65,536 key spans,
// more than 1,024 unknown spellings, amounts near the 12-digit limit.
func TestBigFastEqualsRowByRow(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	rng := rand.New(rand.NewPCG(7, 9))
	var b strings.Builder
	b.WriteString("host,date,gross,product,refunds,currency,units\n")
	for i := 0; i < 200_000; i++ {
		host := "h1"
		switch rng.IntN(50) {
		case 0:
			host = fmt.Sprintf("nobody%d", rng.IntN(3000))
		case 1:
			host = "H1"
		}
		prod := fmt.Sprintf("p%d", rng.IntN(90_000))
		if rng.IntN(40) == 0 {
			prod = fmt.Sprintf("P%d ", rng.IntN(90_000))
		}
		cur := []string{"USD", "EUR", "usd", ""}[rng.IntN(4)]
		g := fmt.Sprintf("%d.%06d", rng.Int64N(999_999_999_999)-rng.Int64N(999_999_999_999), rng.IntN(1_000_000))
		r := fmt.Sprintf("%d.%03d", rng.IntN(1000), rng.IntN(1000))
		fmt.Fprintf(&b, "%s,2025-%02d-%02d,%s,%s,%s,%s,%d\n", host, 1+rng.IntN(6), 1+rng.IntN(28), g, prod, r, cur, rng.IntN(100))
	}
	ag := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: half-even, scale: 4}\nfx: {rates: fx.csv, method: daily}\nhosts:\n  h1:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n        rates:\n          - {rate: 12.5%}\n"
	files := memFiles(map[string]string{"r.csv": b.String(), "fx.csv": "date,currency,rate\n2025-01-01,EUR,1.1\n2025-02-01,EUR,1.234567890123\n2025-04-01,EUR,0.3333333333333333\n"})
	a, err := agreement.Decode("agreement.yaml", []byte(ag))
	must(t, err)
	settle := func(rowByRow bool) (string, string) {
		var rejects []string
		res, err := Run(Options{Agreement: a, Files: files, RowByRow: rowByRow, Reject: func(b ingest.BadRow) error {
			rejects = append(rejects, fmt.Sprintf("%d %s: %s %q", b.Line, b.Column, b.Reason, b.Fields))
			return nil
		}}, []string{"r.csv"})
		must(t, err)
		if !rowByRow {
			leanAgrees(t, Options{Agreement: a, Files: files, Reject: func(ingest.BadRow) error { return nil }}, []string{"r.csv"}, res)
		}
		sort.Strings(rejects)
		return fullPrint(res) + fmt.Sprintf("%+v", res.Inputs), strings.Join(rejects, "\n")
	}
	slow, sr := settle(true)
	fast, fr := settle(false)
	if slow != fast {
		t.Errorf("settlements differ (%d vs %d bytes)", len(slow), len(fast))
		sl, fl := strings.Split(slow, "\n"), strings.Split(fast, "\n")
		for i := range min(len(sl), len(fl)) {
			if sl[i] != fl[i] {
				t.Fatalf("first difference at line %d:\nrow by row: %s\nfast:       %s", i, sl[i], fl[i])
			}
		}
	}
	if sr != fr {
		t.Errorf("rejects differ: %d vs %d", len(sr), len(fr))
	}
}
