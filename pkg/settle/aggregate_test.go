package settle

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/period"
)

// Collect + Settle (the pure engine over an aggregate) settles every
// example to the same figures as Run (the file-reading fast path).
func TestSettleAggregateEqualsRun(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*", "agreement.yaml"))
	if len(dirs) == 0 {
		t.Fatal("no examples")
	}
	for _, path := range dirs {
		dir := filepath.Dir(path)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ag, err := agreement.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
			if len(files) == 0 {
				t.Skip("no reports beside the agreement")
			}
			opts := Options{Agreement: ag}
			want, err := Run(opts, files)
			if err != nil {
				t.Fatal(err)
			}
			col, err := Collect(opts, nil, files)
			if err != nil {
				t.Fatal(err)
			}
			agg := &Aggregate{}
			for i, c := range col.Files {
				agg.Merge(c.Sums)
				w := want.Inputs[i]
				if c.Path != w.Path || c.SHA256 != w.SHA256 || c.Rows != w.Rows || c.Settled != w.Settled || c.Outside != w.Outside || c.Rejected != w.Rejected || c.Late != 0 {
					t.Errorf("input %d: %+v, Run %+v", i, c.Input, want.Inputs[i])
				}
			}
			var rates *fx.Table
			if ag.FX != nil {
				rates, err = fx.Load(filepath.Join(ag.Dir(), ag.FX.Rates), ag.FX.Method)
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := Settle(ag, rates, agg, Request{})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := summary(got), summary(want); g != w {
				t.Errorf("Settle:\n%s\nRun:\n%s", g, w)
			}
			if fmt.Sprint(got.Periods) != fmt.Sprint(want.Periods) {
				t.Errorf("periods %v, Run %v", got.Periods, want.Periods)
			}
		})
	}
}

// Settle reports an aggregate key it cannot settle, naming it.
func TestSettleUnknownHost(t *testing.T) {
	ag, err := agreement.Decode("agreement.yaml", []byte(exampleAgreement))
	if err != nil {
		t.Fatal(err)
	}
	agg := &Aggregate{}
	agg.Add(Key{Host: "nobody", Product: "llama", Currency: "USD", Date: "2025-01-05"}, Sums{Rows: 1})
	if _, err := Settle(ag, nil, agg, Request{}); err == nil || err.Error() != "nobody llama USD 2025-01-05: no such host" {
		t.Fatalf("err = %v", err)
	}
}

const exampleAgreement = `schema: llamashare/v1
currency: USD
period: quarter
hosts:
  aws:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
`

// Settle an aggregate built in memory: two rows' sums, one a period label.
func ExampleSettle() {
	ag, err := agreement.Decode("agreement.yaml", []byte(exampleAgreement))
	if err != nil {
		fmt.Println(err)
		return
	}
	agg := &Aggregate{}
	agg.Add(Key{Host: "aws", Product: "llama-4", Currency: "USD", Date: "2025-01-15"},
		Sums{Rows: 3, Gross: decimal.RequireFromString("1000.05")})
	agg.Add(Key{Host: "aws", Product: "llama-4", Currency: "USD", Date: "2025-03"},
		Sums{Rows: 1, Gross: decimal.RequireFromString("500")})
	res, err := Settle(ag, nil, agg, Request{Periods: []period.Period{{Kind: period.Quarter, Year: 2025, N: 1}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Settlements {
		fmt.Println(s.Host.ID, s.Period, s.Gross.StringFixed(2), s.Share.StringFixed(2), s.Payable.StringFixed(2), period.FormatDate(*s.DueDate))
	}
	// Output: aws 2025-Q1 1500.05 150.01 150.01 2025-04-30
}
