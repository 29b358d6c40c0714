package fx

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/period"
)

// rates is the table most cases read: EUR has three rates in 2025-Q1 and
// one in Q2; GBP one in Q1 only; JPY two in Q1. The lines are not in date
// order on purpose (the table sorts them), and one currency is lower case.
const rates = `date,currency,rate
2025-01-15,EUR,1.10
2025-01-02,EUR,1.08
2025-03-31,EUR,1.09
2025-04-10,EUR,1.12
2025-02-01,gbp,1.25
2025-01-06,JPY,0.0068
2025-03-03,JPY,0.0064
`

func mustRead(t *testing.T, text, method string) *Table {
	t.Helper()
	tb, err := Read("fx.csv", strings.NewReader(text), method)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return tb
}

func TestRate(t *testing.T) {
	tests := []struct {
		method string
		cur    string
		day    string // the row's date
		period string // the settlement period
		want   string // the rate, or the error
	}{
		// daily: the rate dated on the row's date, else the latest earlier one.
		{Daily, "EUR", "2025-01-02", "2025-Q1", "1.08"},
		{Daily, "EUR", "2025-01-14", "2025-Q1", "1.08"},
		{Daily, "EUR", "2025-01-15", "2025-Q1", "1.1"},
		{Daily, "EUR", "2025-03-30", "2025-Q1", "1.1"},
		{Daily, "EUR", "2025-03-31", "2025-Q1", "1.09"},
		{Daily, "EUR", "2025-06-30", "2025-Q2", "1.12"},
		{Daily, "GBP", "2025-12-31", "2025-Q4", "1.25"}, // a year-old rate is still the latest earlier one
		{Daily, "EUR", "2025-01-01", "2025-Q1", "error: no EUR rate on or before 2025-01-01"},
		{Daily, "CHF", "2025-02-01", "2025-Q1", "error: no CHF rate on or before 2025-02-01"},

		// period-end: the latest rate on or before the period's last day,
		// whatever the row's date.
		{PeriodEnd, "EUR", "2025-01-02", "2025-Q1", "1.09"},
		{PeriodEnd, "EUR", "2025-02-15", "2025-02", "1.1"}, // monthly settlement: end of February
		{PeriodEnd, "EUR", "2025-05-01", "2025-Q2", "1.12"},
		{PeriodEnd, "GBP", "2025-01-10", "2025-01", "error: no GBP rate on or before 2025-01-31 (period-end of 2025-01)"},
		{PeriodEnd, "EUR", "2024-12-01", "2024-Q4", "error: no EUR rate on or before 2024-12-31 (period-end of 2024-Q4)"},

		// period-average: the mean of the rates dated inside the period,
		// to 20 places half-even.
		//   EUR Q1: (1.08 + 1.10 + 1.09) / 3 = 3.27 / 3 = 1.09 exactly
		{PeriodAverage, "EUR", "2025-02-01", "2025-Q1", "1.09"},
		//   JPY Q1: (0.0068 + 0.0064) / 2 = 0.0066
		{PeriodAverage, "JPY", "2025-02-01", "2025-Q1", "0.0066"},
		//   EUR January: 1.08 and 1.10 → 1.09; EUR February has none
		{PeriodAverage, "EUR", "2025-01-20", "2025-01", "1.09"},
		{PeriodAverage, "EUR", "2025-02-20", "2025-02", "error: no EUR rate dated 2025-02-01..2025-02-28 (period-average of 2025-02)"},
		//   EUR Q2: one rate, 1.12; a year: all four, 4.39 / 4 = 1.0975
		{PeriodAverage, "EUR", "2025-05-01", "2025-Q2", "1.12"},
		{PeriodAverage, "EUR", "2025-05-01", "2025", "1.0975"},
		//   GBP Q2: the Q1 rate is not inside Q2
		{PeriodAverage, "GBP", "2025-05-01", "2025-Q2", "error: no GBP rate dated 2025-04-01..2025-06-30 (period-average of 2025-Q2)"},
	}
	tables := map[string]*Table{}
	for _, m := range []string{Daily, PeriodEnd, PeriodAverage} {
		tables[m] = mustRead(t, rates, m)
	}
	for _, tt := range tests {
		name := tt.method + " " + tt.cur + " " + tt.day + " " + tt.period
		t.Run(name, func(t *testing.T) {
			d, err := period.ParseDate(tt.day)
			if err != nil {
				t.Fatal(err)
			}
			p, err := period.Parse(tt.period)
			if err != nil {
				t.Fatal(err)
			}
			// Twice: the second answer comes from the cache.
			for i := 0; i < 2; i++ {
				r, err := tables[tt.method].Rate(tt.cur, d, p)
				got := r.String()
				if err != nil {
					got = "error: " + err.Error()
				}
				if got != tt.want {
					t.Errorf("Rate = %s, want %s", got, tt.want)
				}
			}
		})
	}
}

// The mean is carried to 20 places half-even (money.Div): a third never
// ends, and a tie in the 21st place goes to the even digit.
func TestPeriodAverageDivision(t *testing.T) {
	tests := []struct {
		name, rates, want string
	}{
		{"thirds", "2025-01-01,EUR,1\n2025-01-02,EUR,1\n2025-01-03,EUR,2\n",
			"1.33333333333333333333"}, // 4/3
		{"two thirds", "2025-01-01,EUR,1\n2025-01-02,EUR,2\n2025-01-03,EUR,2\n",
			"1.66666666666666666667"}, // 5/3
		{"tie to even, down", "2025-01-01,EUR,1.00000000000000000001\n2025-01-02,EUR,1\n",
			"1"}, // 2.00000000000000000001 / 2 = 1.000000000000000000005 → …00 (0 is even)
		{"tie to even, up", "2025-01-01,EUR,1.00000000000000000003\n2025-01-02,EUR,1\n",
			"1.00000000000000000002"}, // 1.000000000000000000015 → …02
	}
	q1, _ := period.Parse("2025-Q1")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := mustRead(t, "date,currency,rate\n"+tt.rates, PeriodAverage)
			r, err := tb.Rate("EUR", q1.End(), q1)
			if err != nil {
				t.Fatal(err)
			}
			if r.String() != tt.want {
				t.Errorf("Rate = %s, want %s", r, tt.want)
			}
		})
	}
}

// Every bad line of a rates file is reported, each with its position; the
// table is not used.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"empty", "", []string{"fx.csv:1: fx rates: missing header date,currency,rate"}},
		{"missing column", "date,currency,price\n", []string{`fx.csv:1: fx rates: missing column "rate" (want date,currency,rate)`}},
		{"duplicate dates", "date,currency,rate\n2025-01-02,EUR,1.08\n2025-01-03,EUR,1.09\n2025-01-02,eur,1.10\n2025-01-02,GBP,1.25\n",
			[]string{"fx.csv:4: duplicate rate for EUR on 2025-01-02 (first at line 2)"}},
		{"bad rows", "date,currency,rate\n" +
			"2025-02-30,EUR,1.08\n" + // line 2
			"2025-01-03,EURO,1.08\n" + // line 3
			"2025-01-04,EUR,0\n" + // line 4
			"2025-01-05,EUR,-1.2\n" + // line 5
			"2025-01-06,EUR,1e3\n" + // line 6
			"2025-01-07,EUR\n" + // line 7
			"2025-01-08,EUR,\"1.0\"9\n" + // line 8: a quoting error
			"2025-01-09,EUR,1.07\n", // line 9: good
			[]string{
				`fx.csv:2: date: invalid date "2025-02-30" (want YYYY-MM-DD)`,
				`fx.csv:3: currency: "EURO" is not an ISO 4217 currency code`,
				`fx.csv:4: rate: invalid rate "0": want a positive number`,
				`fx.csv:5: rate: invalid rate "-1.2": want a positive number`,
				`fx.csv:6: rate: invalid rate "1e3": want a positive number`,
				`fx.csv:7: rate: invalid rate "": want a positive number`,
				`fx.csv:8: extraneous or missing " in quoted-field`,
			}},
		// A rates file saved as UTF-16 (Excel's "Unicode text") says so,
		// as a revenue or payments file does, instead of a missing column.
		{"UTF-16 LE", "\xff\xfed\x00a\x00t\x00e\x00,\x00", []string{"fx.csv: fx rates: file is UTF-16; save it as UTF-8"}},
		{"UTF-16 BE", "\xfe\xff\x00d\x00a\x00t\x00e", []string{"fx.csv: fx rates: file is UTF-16; save it as UTF-8"}},
		{"BOM, CRLF, case and order of columns", "\ufeffRate, Currency ,DATE\r\n1.08,EUR,2025-01-02\r\nx,EUR,2025-01-03\r\n",
			[]string{`fx.csv:3: Rate: invalid rate "x": want a positive number`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("fx.csv", strings.NewReader(tt.text), Daily)
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("error:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			var l diag.List
			var p diag.Problem
			if !errors.As(err, &l) && !errors.As(err, &p) {
				t.Errorf("error %T is neither a diag.List nor a diag.Problem", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fx.csv")
	if err := os.WriteFile(p, []byte(rates), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := Load(p, PeriodEnd)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Method() != PeriodEnd {
		t.Errorf("Method = %s", tb.Method())
	}
	_, err = Load(filepath.Join(dir, "none.csv"), Daily)
	want := filepath.Join(dir, "none.csv") + ": cannot read fx rates: no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("Load(missing) = %v, want %s", err, want)
	}
}
