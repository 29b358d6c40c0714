package settle

import (
	"fmt"
	"strings"
	"testing"
)

// Validate converts daily-fx rows on the fast path as settle does, and
// still finds every row of a currency without a rate on its day, with its
// line: the same problems and reconciliation as row by row, whatever the
// blocks.
func TestValidateDailyFxFastPath(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,host,product,currency,gross\n")
	for i := 0; i < 300; i++ {
		cur := []string{"USD", "EUR", "EUR", "GBP"}[i%4]
		if cur == "GBP" && i%40 != 3 {
			cur = "EUR" // a few GBP rows: GBP has no rate
		}
		fmt.Fprintf(&b, "2025-%02d-%02d,aws,llama-3,%s,%d.25\n", 1+i%3, 1+i%28, cur, i)
	}
	files := map[string]string{
		"agreement.yaml": rowsAgreement,
		"fx.csv":         "date,currency,rate\n2025-01-01,EUR,1.1\n2025-02-01,EUR,1.123456789012345\n",
		"r.csv":          b.String(),
	}
	var outs []string
	for _, rowByRow := range []bool{true, false} {
		for _, block := range []int{0, 97} {
			opts := inMemory(t, files)
			opts.RowByRow, opts.BlockSize = rowByRow, block
			checked, err := Validate(opts, []string{"r.csv"})
			if err == nil || len(checked) != 1 {
				t.Fatalf("Validate = %v, %v: want the GBP rows as problems", checked, err)
			}
			c := checked[0]
			outs = append(outs, fmt.Sprintf("%s\nrows=%d settled=%d outside=%d rejected=%d", err, c.Rows, c.Settled, c.Outside, c.Rejected))
		}
	}
	for _, o := range outs[1:] {
		if o != outs[0] {
			t.Errorf("fast path differs from row by row:\n%s\nwant:\n%s", o, outs[0])
		}
	}
	if !strings.Contains(outs[0], "r.csv:5: ") || !strings.Contains(outs[0], "rejected=8") {
		t.Errorf("want the 8 GBP rows, the first on line 5:\n%s", outs[0])
	}
}
