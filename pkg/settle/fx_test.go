package settle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// fxRates is the rates file of the conversion tests: USD per unit.
const fxRates = `date,currency,rate
2025-01-02,EUR,1.0350
2025-02-03,EUR,1.0410
2025-03-31,EUR,1.0815
2025-01-02,GBP,1.2450
2025-03-14,GBP,1.2920
2025-01-02,JPY,0.006350
2025-02-14,JPY,0.006580
2025-03-31,JPY,0.006700
`

// fxRevenue holds Q1 2025 revenue in four currencies, one product per
// currency (llama-a also has a USD row). The GBP row on line 6 has only a
// period label (2025-03).
const fxRevenue = `date,period,host,product,currency,gross,refunds
2025-01-02,,h,llama-a,EUR,1000.00,100.00
2025-01-20,,h,llama-a,EUR,333.33,
2025-03-31,,h,llama-a,EUR,50.00,
2025-02-10,,h,llama-b,GBP,200.00,
,2025-03,h,llama-b,GBP,80.00,
2025-01-05,,h,llama-c,JPY,150000,
2025-03-01,,h,llama-c,JPY,12345,
2025-02-20,,h,llama-d,JPY,1500,
2025-02-01,,h,llama-a,USD,10.00,
`

func fxAgreement(currency, method string) string {
	return "schema: llamashare/v1\ncurrency: " + currency + "\nperiod: quarter\n" +
		"fx: {rates: fx.csv, method: " + method + "}\n" +
		"hosts:\n  h:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds]\n        rates:\n          - rate: 10%\n"
}

// fxFiles are the rates (fx.csv) and the revenue (q1.csv) of a
// conversion test, in memory, named as a user would name them.
func fxFiles(rates, csv string) workdir.Source {
	return memFiles(map[string]string{"fx.csv": rates, "q1.csv": csv})
}

// runFX settles 2025-Q1 of the revenue (q1.csv) under the agreement and
// its rates (fx.csv).
func runFX(t *testing.T, yaml, rates, csv string, reject func(ingest.BadRow) error) (*Result, error) {
	t.Helper()
	ag, err := agreement.Decode("agreement.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("agreement: %v", err)
	}
	q1, _ := period.Parse("2025-Q1")
	return Run(Options{Agreement: ag, Periods: []period.Period{q1}, Reject: reject, Files: fxFiles(rates, csv)}, []string{"q1.csv"})
}

// products renders each product's rounded figures and the settlement's.
func products(res *Result) string {
	var b strings.Builder
	for _, s := range res.Settlements {
		for _, p := range s.Products {
			fmt.Fprintf(&b, "%s gross=%s refunds=%s basis=%s\n", p.Product, p.Gross.StringFixed(2), p.Refunds.StringFixed(2), p.Basis.StringFixed(2))
		}
		fmt.Fprintf(&b, "%s %s gross=%s refunds=%s share=%s payable=%s\n", s.Host.ID, s.Period,
			s.Gross.StringFixed(2), s.Refunds.StringFixed(2), s.Share.StringFixed(2), s.Payable.StringFixed(2))
	}
	return b.String()
}

// TestFXMethods settles the same rows by each method. Every amount is
// converted unrounded, summed per product, then rounded half-up to cents;
// the share is 10% of gross − refunds per product, rounded.
func TestFXMethods(t *testing.T) {
	tests := []struct {
		method string
		want   string
	}{
		// daily: each row's own date, else the latest earlier rate.
		//   llama-a: 1000.00 × 1.0350 (01-02)          = 1035.00
		//            333.33 × 1.0350 (01-20 → 01-02)   =  344.99655
		//            50.00 × 1.0815 (03-31)            =   54.075
		//            10.00 USD                         =   10.00
		//            gross 1444.07155 → 1444.07; refunds 100.00 × 1.0350 = 103.50
		//            basis 1340.57 × 10% = 134.057 → 134.06
		//   llama-b: 200.00 × 1.2450 (02-10 → 01-02)   =  249.00
		//            80.00 × 1.2920 (label 2025-03 → its last day 03-31 → 03-14) = 103.36
		//            gross 352.36; share 35.236 → 35.24
		//   llama-c: 150000 × 0.006350 (01-05 → 01-02) =  952.50
		//            12345 × 0.006580 (03-01 → 02-14)  =   81.2301
		//            gross 1033.7301 → 1033.73; share 103.373 → 103.37
		//   llama-d: 1500 × 0.006580 (02-20 → 02-14)   =    9.87; share 0.987 → 0.99
		//   gross 1444.07 + 352.36 + 1033.73 + 9.87 = 2840.03
		//   share 134.06 + 35.24 + 103.37 + 0.99 = 273.66
		{"daily", `
llama-a gross=1444.07 refunds=103.50 basis=1340.57
llama-b gross=352.36 refunds=0.00 basis=352.36
llama-c gross=1033.73 refunds=0.00 basis=1033.73
llama-d gross=9.87 refunds=0.00 basis=9.87
h 2025-Q1 gross=2840.03 refunds=103.50 share=273.66 payable=273.66
`},
		// period-end: the latest rate on or before 2025-03-31, for every row:
		// EUR 1.0815, GBP 1.2920, JPY 0.006700.
		//   llama-a: (1000.00 + 333.33 + 50.00) × 1.0815 = 1496.071395, + 10.00
		//            = 1506.071395 → 1506.07; refunds 108.15; basis 1397.92
		//            share 139.792 → 139.79
		//   llama-b: 280.00 × 1.2920 = 361.76; share 36.176 → 36.18
		//   llama-c: 162345 × 0.0067 = 1087.7115 → 1087.71; share 108.771 → 108.77
		//   llama-d: 1500 × 0.0067 = 10.05; share 1.005 → 1.01 (half-up)
		//   gross 2965.59; share 139.79 + 36.18 + 108.77 + 1.01 = 285.75
		{"period-end", `
llama-a gross=1506.07 refunds=108.15 basis=1397.92
llama-b gross=361.76 refunds=0.00 basis=361.76
llama-c gross=1087.71 refunds=0.00 basis=1087.71
llama-d gross=10.05 refunds=0.00 basis=10.05
h 2025-Q1 gross=2965.59 refunds=108.15 share=285.75 payable=285.75
`},
		// period-average: the mean of the rates dated inside 2025-Q1,
		// carried to 20 places half-even.
		//   EUR (1.0350 + 1.0410 + 1.0815) / 3 = 3.1575 / 3 = 1.0525
		//   GBP (1.2450 + 1.2920) / 2 = 1.2685
		//   JPY (0.006350 + 0.006580 + 0.006700) / 3 = 0.01963 / 3
		//       = 0.00654333333333333333 (20 places)
		//   llama-a: 1383.33 × 1.0525 = 1455.954825, + 10.00 → 1465.95;
		//            refunds 105.25; basis 1360.70; share 136.07
		//   llama-b: 280.00 × 1.2685 = 355.18; share 35.518 → 35.52
		//   llama-c: 162345 × 0.00654333333333333333 = 1062.27744999999999945885
		//            → 1062.28; share 106.228 → 106.23
		//   llama-d: 1500 × 0.00654333333333333333 = 9.81499999999999999500
		//            → 9.81 (the exact 1500 × 0.01963 / 3 = 9.815 would round
		//            to 9.82: the rate is carried to 20 places first)
		//            share 0.981 → 0.98
		//   gross 1465.95 + 355.18 + 1062.28 + 9.81 = 2893.22
		//   share 136.07 + 35.52 + 106.23 + 0.98 = 278.80
		{"period-average", `
llama-a gross=1465.95 refunds=105.25 basis=1360.70
llama-b gross=355.18 refunds=0.00 basis=355.18
llama-c gross=1062.28 refunds=0.00 basis=1062.28
llama-d gross=9.81 refunds=0.00 basis=9.81
h 2025-Q1 gross=2893.22 refunds=105.25 share=278.80 payable=278.80
`},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			res, err := runFX(t, fxAgreement("USD", tt.method), fxRates, fxRevenue, nil)
			if err != nil {
				t.Fatal(err)
			}
			check(t, tt.method, products(res), tt.want)
			if in := res.Inputs[0]; in.Rows != 9 || in.Settled != 9 {
				t.Errorf("input %+v: want 9 rows, all settled", in)
			}
		})
	}
}

// Row order and pre-aggregation (SPEC 5 invariants) hold across
// currencies: the rows reversed, and the EUR rows of one day summed into
// one, settle the same.
func TestFXInvariants(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(fxRevenue), "\n")
	rev := []string{lines[0]}
	for i := len(lines) - 1; i > 0; i-- {
		rev = append(rev, lines[i])
	}
	for _, m := range []string{"daily", "period-end", "period-average"} {
		a, err := runFX(t, fxAgreement("USD", m), fxRates, fxRevenue, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := runFX(t, fxAgreement("USD", m), fxRates, strings.Join(rev, "\n")+"\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, m+" reversed", products(b), products(a))
		// Two rows of one day summed into one: 600 + 400 = 1000.00, 60 + 40 = 100.00.
		split := strings.Replace(fxRevenue, "2025-01-02,,h,llama-a,EUR,1000.00,100.00\n",
			"2025-01-02,,h,llama-a,EUR,600,60\n2025-01-02,,h,llama-a,EUR,400.00,40\n", 1)
		c, err := runFX(t, fxAgreement("USD", m), fxRates, split, nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, m+" split", products(c), products(a))
	}
}

// The settlement currency's minor unit comes from ISO 4217
// (golang.org/x/text/currency): JPY settles to whole yen, BHD to fils.
func TestFXSettlementCurrency(t *testing.T) {
	// JPY: 12.34 EUR × 160.5 = 1980.57 → 1981; 10% of 1981 = 198.1 → 198.
	res, err := runFX(t, fxAgreement("JPY", "daily"), "date,currency,rate\n2025-01-01,EUR,160.5\n",
		"date,host,product,currency,gross\n2025-01-10,h,llama-a,EUR,12.34\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc := res.Agreement.Rounding.Scale; sc != 0 {
		t.Errorf("JPY scale = %d, want 0", sc)
	}
	s := res.Settlements[0]
	if s.Gross.String() != "1981" || s.Share.String() != "198" {
		t.Errorf("JPY: gross %s share %s, want 1981 and 198", s.Gross, s.Share)
	}
	// BHD: 100.00 USD × 0.376 = 37.6 BHD; 10% = 3.760 at three places,
	// and 33.33 USD × 0.376 = 12.53208 → 12.532; 10% = 1.2532 → 1.253.
	res, err = runFX(t, fxAgreement("BHD", "daily"), "date,currency,rate\n2025-01-01,USD,0.376\n",
		"date,host,product,currency,gross\n2025-01-10,h,llama-a,USD,33.33\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc := res.Agreement.Rounding.Scale; sc != 3 {
		t.Errorf("BHD scale = %d, want 3", sc)
	}
	s = res.Settlements[0]
	if got := s.Gross.StringFixed(3) + " " + s.Share.StringFixed(3); got != "12.532 1.253" {
		t.Errorf("BHD: gross and share %s, want 12.532 1.253", got)
	}
}

// A row without a usable rate is a bad row naming the currency and the
// date looked at (SPEC 5.1: no usable rate is an error); with a reject
// sink it is set aside and the rest settles.
func TestFXMissingRate(t *testing.T) {
	csv := `date,host,product,CURRENCY,gross
2025-01-01,h,llama-a,EUR,10.00
2025-01-10,h,llama-a,CHF,10.00
2025-01-10,h,llama-a,EUR,10.00
2025-02-10,h,llama-a,usd,5.00
`
	tests := []struct {
		method string
		want   string
	}{
		{"daily", `
q1.csv:2: CURRENCY: no EUR rate on or before 2025-01-01
q1.csv:3: CURRENCY: no CHF rate on or before 2025-01-10
`},
		{"period-end", `
q1.csv:3: CURRENCY: no CHF rate on or before 2025-03-31 (period-end of 2025-Q1)
`},
		{"period-average", `
q1.csv:3: CURRENCY: no CHF rate dated 2025-01-01..2025-03-31 (period-average of 2025-Q1)
`},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			_, err := runFX(t, fxAgreement("USD", tt.method), fxRates, csv, nil)
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			check(t, tt.method, got+"\n", tt.want)

			var rejected []string
			res, err := runFX(t, fxAgreement("USD", tt.method), fxRates, csv, func(b ingest.BadRow) error {
				rejected = append(rejected, fmt.Sprintf("%d %s %s", b.Line, b.Column, strings.Join(b.Fields, "|")))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			in := res.Inputs[0]
			if in.Rows != 4 || in.Settled+in.Rejected != 4 || in.Rejected != len(rejected) {
				t.Errorf("input %+v, rejected %q", in, rejected)
			}
		})
	}
}

// A bad rates file fails the run before any row is read, listing every
// bad line of it.
func TestFXBadRatesFile(t *testing.T) {
	_, err := runFX(t, fxAgreement("USD", "daily"), "date,currency,rate\n2025-01-02,EUR,1.08\n2025-01-02,EUR,1.09\n2025-13-01,EUR,1\n",
		fxRevenue, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"fx.csv:3: duplicate rate for EUR on 2025-01-02 (first at line 2)", `fx.csv:4: date: invalid date "2025-13-01"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// Revenue in another currency without fx in the agreement is a bad row.
	_, err = runFX(t, strings.Replace(fxAgreement("USD", "daily"), "fx: {rates: fx.csv, method: daily}\n", "", 1), "", fxRevenue, nil)
	if err == nil || !strings.Contains(err.Error(), "q1.csv:2: currency: revenue in EUR but the agreement has no fx rates") {
		t.Errorf("no fx: %v", err)
	}
}
