package settle

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
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
	yaml := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n  aws:\n    terms:\n      - from: 2025-01-01\n        rates:\n          - rate: 10%\n"
	ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	agg := &Aggregate{}
	agg.Add(Key{Host: "nobody", Product: "llama", Currency: "USD", Date: "2025-01-05"}, Sums{Rows: 1})
	if _, err := Settle(ag, nil, agg, Request{}); err == nil || err.Error() != "nobody llama USD 2025-01-05: no such host" {
		t.Fatalf("err = %v", err)
	}
}

// Other currencies settle through Settle as through Run, for each fx
// method, the currencies breakdown included.
func TestSettleAggregateFX(t *testing.T) {
	for _, method := range []string{"daily", "period-end", "period-average"} {
		t.Run(method, func(t *testing.T) {
			yaml := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nfx: {rates: fx.csv, method: " + method + "}\n" +
				"hosts:\n  aws:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n        rates:\n          - rate: 12.5%\n"
			files := memFiles(map[string]string{
				"fx.csv": "date,currency,rate\n2025-01-01,EUR,1.0312\n2025-02-03,EUR,1.0451\n2025-03-31,EUR,1.0803\n2025-04-15,EUR,1.1234567\n",
				"r.csv": "date,host,product,currency,gross,refunds\n2025-01-05,aws,a,EUR,1000.10,3.33\n2025-02-04,aws,a,EUR,333.33,0\n" +
					"2025-02-04,aws,b,USD,10,0\n2025-03-31,aws,a,EUR,0.07,0\n2025-04-20,aws,a,EUR,12345.675,1\n",
			})
			csv := "r.csv"
			ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
			if err != nil {
				t.Fatal(err)
			}
			want, err := Run(Options{Agreement: ag, Files: files}, []string{csv})
			if err != nil {
				t.Fatal(err)
			}
			col, err := Collect(Options{Agreement: ag, Files: files}, nil, []string{csv})
			if err != nil {
				t.Fatal(err)
			}
			rates, err := fx.LoadFrom(files, "fx.csv", method)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Settle(ag, rates, col.Files[0].Sums, Request{})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := summary(got), summary(want); g != w {
				t.Errorf("Settle:\n%s\nRun:\n%s", g, w)
			}
			for i := range want.Settlements {
				if g, w := fmt.Sprint(got.Settlements[i].Currencies), fmt.Sprint(want.Settlements[i].Currencies); g != w {
					t.Errorf("currencies %s, Run %s", g, w)
				}
				if g, w := fmt.Sprint(got.Settlements[i].Gross, got.Settlements[i].Basis), fmt.Sprint(want.Settlements[i].Gross, want.Settlements[i].Basis); g != w {
					t.Errorf("gross, basis %s, Run %s", g, w)
				}
			}
		})
	}
}

// A requested host the agreement lacks is an UnknownHostError, from Run
// as from Settle, and names no command-line flag.
func TestUnknownRequestedHost(t *testing.T) {
	yaml := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n  aws:\n    terms:\n      - from: 2025-01-01\n        rates:\n          - rate: 10%\n"
	ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	_, runErr := Run(Options{Agreement: ag, Hosts: []string{"gcp"}, Files: memFiles(nil)}, nil)
	_, settleErr := Settle(ag, nil, &Aggregate{}, Request{Hosts: []string{"gcp"}})
	for _, err := range []error{runErr, settleErr} {
		var u *UnknownHostError
		if !errors.As(err, &u) || u.Host != "gcp" || err.Error() != `host "gcp": no such host in agreement.yaml` {
			t.Errorf("err = %v, want an UnknownHostError for gcp", err)
		}
	}
}
