package settle

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// A period whose products' rounded figures each fit an int64 but whose
// sum does not (each share rounds to 200000000000.000000): the integer sums must notice and carry on in decimals,
// giving what the row-by-row (all decimal) run gives, to the last digit.
func TestPeriodSumsOverflowFallsBackToDecimals(t *testing.T) {
	yaml := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: half-up, scale: 6}\n" +
		"hosts:\n  h:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n        rates: [{rate: 10%}]\n"
	var b strings.Builder
	b.WriteString("date,host,product,gross,refunds\n")
	// 12 products × 999999999999.999999: each 10^18 - 1 micro-units (an
	// int64), together 1.2 × 10^19 (beyond one).
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "2025-01-%02d,h,p%02d,999999999999.999999,-999999999999.999999\n", i+1, i)
	}
	ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var got [2]string
	for k, rowByRow := range []bool{false, true} {
		res, err := Run(Options{Agreement: ag, Files: memFiles(map[string]string{"r.csv": b.String()}), RowByRow: rowByRow}, []string{"r.csv"})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Settlements[0]
		got[k] = fmt.Sprintf("gross %s refunds %s basis %s share %s", s.Gross.StringFixed(6), s.Refunds.StringFixed(6), s.Basis.StringFixed(6), s.Share.StringFixed(6))
	}
	want := "gross 11999999999999.999988 refunds -11999999999999.999988 basis 23999999999999.999976 share 2400000000000.000000"
	if got[0] != want || got[1] != want {
		t.Errorf("fast path: %s\nrow by row: %s\nwant: %s", got[0], got[1], want)
	}
}

func TestCheckedIntegers(t *testing.T) {
	if _, ok := addChecked(math.MaxInt64, 1, true); ok {
		t.Error("MaxInt64 + 1 must overflow")
	}
	if _, ok := addChecked(math.MinInt64, -1, true); ok {
		t.Error("MinInt64 - 1 must overflow")
	}
	if _, ok := subChecked(math.MinInt64, 1, true); ok {
		t.Error("MinInt64 - 1 must overflow")
	}
	if _, ok := subChecked(0, math.MinInt64, true); ok {
		t.Error("0 - MinInt64 must overflow")
	}
	if v, ok := subChecked(-5, -7, true); !ok || v != 2 {
		t.Errorf("-5 - -7 = %d, %v", v, ok)
	}
	if _, ok := addChecked(1, 2, false); ok {
		t.Error("a false ok stays false")
	}
}
