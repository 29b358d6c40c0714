package settle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/period"
)

// run settles csv (one file per element, in memory) under the agreement
// text and returns the result. The same rows summed into an Aggregate
// must settle to the same figures through Settle, the engine without I/O.
func run(t *testing.T, yaml string, periods string, csvs ...string) *Result {
	t.Helper()
	ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("agreement: %v", err)
	}
	var files []string
	texts := map[string]string{}
	for i, c := range csvs {
		name := fmt.Sprintf("r%d.csv", i)
		texts[name] = c
		files = append(files, name)
	}
	opts := Options{Agreement: ag, Files: memFiles(texts)}
	if periods != "" {
		ps, err := period.Span(periods, ag.Period)
		if err != nil {
			t.Fatal(err)
		}
		opts.Periods = ps
	}
	res, err := Run(opts, files)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if got := settleCollected(t, opts, files); fingerprint(got) != fingerprint(res) {
		t.Fatalf("Settle over the aggregate:\n%s\nRun:\n%s", fingerprint(got), fingerprint(res))
	}
	leanAgrees(t, opts, files, res)
	return res
}

// settleCollected reads files into one Aggregate (Collect) and settles it
// with Settle.
func settleCollected(t *testing.T, opts Options, files []string) *Result {
	t.Helper()
	col, err := Collect(opts, nil, files)
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	agg := &Aggregate{}
	for _, f := range col.Files {
		agg.Merge(f.Sums)
	}
	var rates *fx.Table
	if ag := opts.Agreement; ag.FX != nil {
		if rates, err = fx.LoadFrom(opts.Files, ag.RatesPath(), ag.FX.Method); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Settle(opts.Agreement, rates, agg, Request{Periods: opts.Periods, Hosts: opts.Hosts})
	if err != nil {
		t.Fatalf("settle: %v", err)
	}
	return res
}

// summary renders the figures of each settlement that the mechanisms
// move: share, top-up, cap reduction, recouped, remaining, carried in,
// carried out, payable and due date.
func summary(res *Result) string {
	var b strings.Builder
	for _, s := range res.Settlements {
		due := "-"
		if s.DueDate != nil {
			due = period.FormatDate(*s.DueDate)
		}
		f := func(d interface{ StringFixed(int32) string }) string { return d.StringFixed(2) }
		fmt.Fprintf(&b, "%s %s share=%s topup=%s cap=%s rec=%s rem=%s in=%s out=%s pay=%s due=%s\n",
			s.Host.ID, s.Period, f(s.Share), f(s.MinimumTopup), f(s.CapReduction), f(s.AdvanceRecouped),
			f(s.AdvanceRemaining), f(s.CarriedIn), f(s.CarriedOut), f(s.Payable), due)
	}
	return b.String()
}

func lines(res *Result) string {
	var b strings.Builder
	for _, s := range res.Settlements {
		for _, l := range s.Lines {
			fmt.Fprintf(&b, "%s %s %s %d %s %s\n", s.Period, l.Rule.Name, l.Product, l.Band, l.Basis.StringFixed(2), l.Share.StringFixed(2))
		}
	}
	return b.String()
}

const head = "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n  h:\n    terms:\n"

func check(t *testing.T, name, got, want string) {
	t.Helper()
	want = strings.TrimLeft(want, "\n")
	if got != want {
		t.Errorf("%s:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestGraduatedYearWindowRuleScope(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates:
          - name: t
            tiers:
              window: year
              bands: [{up_to: 1000, rate: 10%}, {rate: 20%}]
`
	csv := "date,host,product,gross\n2025-02-01,h,a,800\n2025-05-01,h,a,300\n2025-05-02,h,b,200\n2025-08-01,h,b,300\n2026-01-10,h,a,100\n"
	res := run(t, ag, "", csv)
	// Q1: [0,800] in band 1 → 80. Q2: [800,1300] → 200@10% + 300@20% = 80.
	// Q3: [1300,1600] → 60. Q4: nothing. 2026-Q1: the year window resets → 10.
	check(t, "lines", lines(res), `
2025-Q1 t * 1 800.00 80.00
2025-Q2 t * 1 200.00 20.00
2025-Q2 t * 2 300.00 60.00
2025-Q3 t * 2 300.00 60.00
2026-Q1 t * 1 100.00 10.00
`)
}

func TestGraduatedLifetimeProductScopeNegative(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates:
          - name: t
            tiers:
              window: lifetime
              scope: product
              bands: [{up_to: 1000, rate: 10%}, {rate: 20%}]
`
	csv := "date,host,product,gross,refunds\n2025-02-01,h,a,1200,\n2025-02-01,h,b,50,\n2025-05-01,h,a,0,500\n2026-02-01,h,a,400,\n"
	ag = strings.Replace(ag, "        rates:", "        deduct: [refunds]\n        rates:", 1)
	res := run(t, ag, "", csv)
	// a: Q1 [0,1200] → 1000@10% + 200@20%; Q2 B=-500 moves back from 1200
	// to 700: -200@20% and -300@10%; 2026-Q1 [700,1100]: 300@10% + 100@20%.
	check(t, "lines", lines(res), `
2025-Q1 t a 1 1000.00 100.00
2025-Q1 t a 2 200.00 40.00
2025-Q1 t b 1 50.00 5.00
2025-Q2 t a 1 -300.00 -30.00
2025-Q2 t a 2 -200.00 -40.00
2026-Q1 t a 1 300.00 30.00
2026-Q1 t a 2 100.00 20.00
`)
	if got := summary(res); !strings.HasPrefix(got, "h 2025-Q1 share=145.00 ") || !strings.Contains(got, "h 2025-Q2 share=-70.00 ") {
		t.Errorf("summary:\n%s", got)
	}
}

func TestVolumeTiers(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates:
          - name: v
            tiers:
              mode: volume
              bands: [{up_to: 1000, rate: 10%}, {up_to: 5000, rate: 15%}, {rate: 20%}]
`
	csv := "date,host,product,gross\n2025-02-01,h,a,600\n2025-02-01,h,b,400\n2025-05-01,h,a,1000.01\n2025-08-01,h,a,6000\n"
	res := run(t, ag, "", csv)
	// Q1 B=1000 ≤ 1000 → 10% of all; Q2 1000.01 → 15%; Q3 → 20%.
	check(t, "lines", lines(res), `
2025-Q1 v * 1 1000.00 100.00
2025-Q2 v * 2 1000.01 150.00
2025-Q3 v * 3 6000.00 1200.00
`)
}

func TestPerUnitAndDeMinimis(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates:
          - name: tokens
            products: ["tok*"]
            per_unit: {price: 0.02, per: 1_000_000}
          - name: small
            de_minimis: 100
            rate: 10%
`
	csv := "date,host,product,gross,units\n2025-02-01,h,tok-1,5,123456789\n2025-02-01,h,x,99.99,\n2025-05-01,h,x,100,\n"
	res := run(t, ag, "", csv)
	// 123456789 × 0.02 ÷ 1e6 = 2.46913578 → 2.47; x below de minimis in Q1
	// keeps its basis with share 0; at 100 in Q2 it is no longer below.
	check(t, "lines", lines(res), `
2025-Q1 tokens tok-1 0 5.00 2.47
2025-Q1 small x 0 99.99 0.00
2025-Q2 small x 0 100.00 10.00
`)
}

func TestMinimumPerYearProrated(t *testing.T) {
	ag := head + `      - from: 2025-04-01
        rates: [{rate: 10%}]
        minimum: {amount: 1000, per: year}
`
	csv := "date,host,product,gross\n2025-05-01,h,a,1000\n2025-08-01,h,a,2000\n2025-11-01,h,a,500\n"
	res := run(t, ag, "", csv)
	// Q2..Q4: 3 of 4 quarters → required 750; shares 100+200+50 = 350 →
	// top-up 400 in Q4, the version's last period of 2025.
	check(t, "summary", summary(res), `
h 2025-Q2 share=100.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=0.00 out=0.00 pay=100.00 due=2025-07-30
h 2025-Q3 share=200.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=0.00 out=0.00 pay=200.00 due=2025-10-30
h 2025-Q4 share=50.00 topup=400.00 cap=0.00 rec=0.00 rem=0.00 in=0.00 out=0.00 pay=450.00 due=2026-01-30
`)
}

func TestMinimumPerPeriodCapAdvance(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates: [{rate: 10%}]
        minimum: {amount: 100, per: period}
        cap: {amount: 500, per: year}
        advance: {amount: 600, received: 2024-12-15}
`
	csv := "date,host,product,gross\n2025-02-01,h,a,300\n2025-05-01,h,a,4000\n2025-08-01,h,a,1000\n2025-11-01,h,a,2000\n"
	res := run(t, ag, "", csv)
	// Q1: share 30 + top-up 70 = 100, recouped 100 (advance 600 → 500).
	// Q2: 400; window 500 → no cap; recouped 400 → 100 left.
	// Q3: 100; window 600 → cap 100; due 0.
	// Q4: 200; window 800 − 500 − 100 → cap 200; due 0.
	check(t, "summary", summary(res), `
h 2025-Q1 share=30.00 topup=70.00 cap=0.00 rec=100.00 rem=500.00 in=0.00 out=0.00 pay=0.00 due=-
h 2025-Q2 share=400.00 topup=0.00 cap=0.00 rec=400.00 rem=100.00 in=0.00 out=0.00 pay=0.00 due=-
h 2025-Q3 share=100.00 topup=0.00 cap=100.00 rec=0.00 rem=100.00 in=0.00 out=0.00 pay=0.00 due=-
h 2025-Q4 share=200.00 topup=0.00 cap=200.00 rec=0.00 rem=100.00 in=0.00 out=0.00 pay=0.00 due=-
`)
}

func TestThresholdCarryAcrossVersions(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        to: 2025-06-30
        rates: [{rate: 10%}]
        payout: {threshold: 100, due_days: 45}
      - from: 2025-07-01
        rates: [{rate: 20%}]
        payout: {threshold: 100}
`
	csv := "date,host,product,gross\n2025-02-01,h,a,500\n2025-05-01,h,a,300\n2025-08-01,h,a,200\n2025-11-01,h,a,-100\n2026-02-01,h,a,50\n"
	res := run(t, ag, "", csv)
	// Q1 50 < 100 → carried; Q2 30 + 50 = 80 → carried into version 2;
	// Q3 40 + 80 = 120 → paid; Q4 −20 → carried; 2026-Q1 10 − 20 = −10.
	check(t, "summary", summary(res), `
h 2025-Q1 share=50.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=0.00 out=50.00 pay=0.00 due=-
h 2025-Q2 share=30.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=50.00 out=80.00 pay=0.00 due=-
h 2025-Q3 share=40.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=80.00 out=0.00 pay=120.00 due=2025-10-30
h 2025-Q4 share=-20.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=0.00 out=-20.00 pay=0.00 due=-
h 2026-Q1 share=10.00 topup=0.00 cap=0.00 rec=0.00 rem=0.00 in=-20.00 out=-10.00 pay=0.00 due=-
`)
}

func TestHistoryReplay(t *testing.T) {
	ag := head + `      - from: 2025-01-01
        rates:
          - tiers:
              window: year
              bands: [{up_to: 1000, rate: 10%}, {rate: 20%}]
        minimum: {amount: 400, per: year}
        advance: {amount: 150}
        payout: {threshold: 60}
`
	csv := "date,host,product,gross\n2025-02-01,h,a,800\n2025-05-01,h,a,300\n2025-08-01,h,b,300\n2025-11-01,h,b,100\n"
	full := run(t, ag, "", csv)
	for i, p := range []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"} {
		one := run(t, ag, p, csv)
		if len(one.Settlements) != 1 {
			t.Fatalf("-p %s: %d settlements", p, len(one.Settlements))
		}
		want := strings.Split(summary(full), "\n")[i] + "\n"
		check(t, "-p "+p, summary(one), want)
		if p != "2025-Q1" && len(one.Warnings) != 0 {
			t.Errorf("-p %s: unexpected warnings %v", p, one.Warnings)
		}
	}
	// Q4 is outside a run that stops at Q3, and counted so.
	res := run(t, ag, "2025-Q3", csv)
	if in := res.Inputs[0]; in.Rows != 4 || in.Settled != 3 || in.Outside != 1 || in.Rejected != 0 {
		t.Errorf("reconciliation %+v", in)
	}
}

func TestWarnsWhenStateHasNoRows(t *testing.T) {
	ag := head + "      - from: 2025-01-01\n        rates: [{rate: 10%}]\n"
	res := run(t, ag, "2025-Q3", "date,host,product,gross\n2025-08-01,h,a,1\n")
	want := []string{"host h has no rows in 2025-Q1, 2025-Q2, which the state of later periods builds on"}
	if fmt.Sprint(res.Warnings) != fmt.Sprint(want) {
		t.Errorf("warnings %q, want %q", res.Warnings, want)
	}
}
