package balance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/period"
)

func day(s string) time.Time {
	d, err := period.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// st is a statement of host h for period p issued on the day after the
// period, payable amt, due 45 days after the period.
func st(h, p, amt string) Statement {
	per, err := period.Parse(p)
	if err != nil {
		panic(err)
	}
	s := Statement{Host: h, Period: per, Issued: per.End().AddDate(0, 0, 1), Payable: dec(amt)}
	if s.Payable.Sign() > 0 {
		due := per.End().AddDate(0, 0, 45)
		s.DueDate = &due
	}
	return s
}

func pay(h, date, amt string) payments.Payment {
	return payments.Payment{Host: h, Date: day(date), Amount: dec(amt), Original: dec(amt), Currency: "USD", Rate: decimal.NewFromInt(1)}
}

// summary prints a host's account compactly for comparison.
func summary(h Host) string {
	var b strings.Builder
	fmt.Fprintf(&b, "issued %s paid %s balance %s credit %s aging", h.Issued.StringFixed(2), h.Paid.StringFixed(2), h.Balance.StringFixed(2), h.Credit().StringFixed(2))
	for _, a := range h.Aging {
		fmt.Fprintf(&b, " %s", a.StringFixed(2))
	}
	for _, it := range h.Statements {
		fmt.Fprintf(&b, "; %s open %s dpd %d", it.Period, it.Open.StringFixed(2), it.DaysPastDue)
		if it.PaidOn != nil {
			fmt.Fprintf(&b, " paid %s", period.FormatDate(*it.PaidOn))
		}
	}
	return b.String()
}

func TestCompute(t *testing.T) {
	// 2025-Q1 is issued 2025-04-01 and due 2025-05-15; Q2 issued 2025-07-01, due 2025-08-14.
	q1, q2 := st("aws", "2025-Q1", "1000.00"), st("aws", "2025-Q2", "500.00")
	cases := []struct {
		name string
		sts  []Statement
		pays []payments.Payment
		asOf string
		want string
	}{
		{"paid in full on the due date", []Statement{q1}, []payments.Payment{pay("aws", "2025-05-15", "1000")}, "2025-05-15",
			"issued 1000.00 paid 1000.00 balance 0.00 credit 0.00 aging 0.00 0.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-05-15"},
		{"part paid on the due date, due today is current", []Statement{q1}, []payments.Payment{pay("aws", "2025-05-15", "400")}, "2025-05-15",
			"issued 1000.00 paid 400.00 balance 600.00 credit 0.00 aging 600.00 0.00 0.00 0.00 0.00; 2025-Q1 open 600.00 dpd 0"},
		{"one day late", []Statement{q1}, []payments.Payment{pay("aws", "2025-05-15", "400")}, "2025-05-16",
			"issued 1000.00 paid 400.00 balance 600.00 credit 0.00 aging 0.00 600.00 0.00 0.00 0.00; 2025-Q1 open 600.00 dpd 1"},
		{"paid late", []Statement{q1}, []payments.Payment{pay("aws", "2025-06-20", "1000")}, "2025-09-30",
			"issued 1000.00 paid 1000.00 balance 0.00 credit 0.00 aging 0.00 0.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-06-20"},
		{"overpayment is a credit", []Statement{q1}, []payments.Payment{pay("aws", "2025-05-01", "1500")}, "2025-06-01",
			"issued 1000.00 paid 1500.00 balance -500.00 credit 500.00 aging -500.00 0.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-05-01"},
		{"a credit pays the next statement", []Statement{q1, q2}, []payments.Payment{pay("aws", "2025-05-01", "1200")}, "2025-08-20",
			"issued 1500.00 paid 1200.00 balance 300.00 credit 0.00 aging 0.00 300.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-05-01; 2025-Q2 open 300.00 dpd 6"},
		{"refund of a credit", []Statement{q1}, []payments.Payment{pay("aws", "2025-05-01", "1500"), pay("aws", "2025-05-20", "-500")}, "2025-06-01",
			"issued 1000.00 paid 1000.00 balance 0.00 credit 0.00 aging 0.00 0.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-05-01"},
		{"a refund beyond the credit reopens the newest statement", []Statement{q1, q2}, []payments.Payment{pay("aws", "2025-05-01", "1500"), pay("aws", "2025-08-01", "-200")}, "2025-08-20",
			"issued 1500.00 paid 1300.00 balance 200.00 credit 0.00 aging 0.00 200.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-05-01; 2025-Q2 open 200.00 dpd 6"},
		{"a refund with nothing paid is owed, current", []Statement{q1}, []payments.Payment{pay("aws", "2025-05-01", "-50")}, "2025-05-10",
			"issued 1000.00 paid -50.00 balance 1050.00 credit 0.00 aging 1050.00 0.00 0.00 0.00 0.00; 2025-Q1 open 1000.00 dpd 0"},
		{"payment before any statement: a credit", []Statement{q1}, []payments.Payment{pay("aws", "2025-02-01", "500")}, "2025-03-01",
			"issued 0.00 paid 500.00 balance -500.00 credit 500.00 aging -500.00 0.00 0.00 0.00 0.00"},
		{"payment before any statement applies once issued", []Statement{q1}, []payments.Payment{pay("aws", "2025-02-01", "500")}, "2025-06-01",
			"issued 1000.00 paid 500.00 balance 500.00 credit 0.00 aging 0.00 500.00 0.00 0.00 0.00; 2025-Q1 open 500.00 dpd 17"},
		{"oldest statement first", []Statement{q2, q1}, []payments.Payment{pay("aws", "2025-07-10", "1100")}, "2025-07-10",
			"issued 1500.00 paid 1100.00 balance 400.00 credit 0.00 aging 400.00 0.00 0.00 0.00 0.00; 2025-Q1 open 0.00 dpd 0 paid 2025-07-10; 2025-Q2 open 400.00 dpd 0"},
		{"payments after as-of do not count", []Statement{q1}, []payments.Payment{pay("aws", "2025-09-01", "1000")}, "2025-08-14",
			"issued 1000.00 paid 0.00 balance 1000.00 credit 0.00 aging 0.00 0.00 0.00 0.00 1000.00; 2025-Q1 open 1000.00 dpd 91"},
		{"90 days past due", []Statement{q1}, nil, "2025-08-13",
			"issued 1000.00 paid 0.00 balance 1000.00 credit 0.00 aging 0.00 0.00 0.00 1000.00 0.00; 2025-Q1 open 1000.00 dpd 90"},
		{"statements issued after as-of do not count", []Statement{q1, q2}, nil, "2025-06-30",
			"issued 1000.00 paid 0.00 balance 1000.00 credit 0.00 aging 0.00 0.00 1000.00 0.00 0.00; 2025-Q1 open 1000.00 dpd 46"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Compute(c.sts, c.pays, day(c.asOf))
			if len(r.Hosts) != 1 {
				t.Fatalf("hosts = %d", len(r.Hosts))
			}
			if got := summary(r.Hosts[0]); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestBuckets(t *testing.T) {
	for days, want := range map[int]string{-5: "current", 0: "current", 1: "1-30", 30: "1-30", 31: "31-60", 60: "31-60", 61: "61-90", 90: "61-90", 91: "90+", 400: "90+"} {
		if got := Buckets[Bucket(days)]; got != want {
			t.Errorf("Bucket(%d) = %s, want %s", days, got, want)
		}
	}
}

func TestZeroStatementIsNotOpen(t *testing.T) {
	r := Compute([]Statement{st("groq", "2025-Q1", "0.00")}, nil, day("2025-12-31"), "aws")
	if len(r.Hosts) != 2 || r.Hosts[0].Host != "aws" || len(r.Hosts[1].Statements) != 0 || !r.Totals.Balance.IsZero() {
		t.Errorf("report = %+v", r)
	}
}

func TestStatementAccount(t *testing.T) {
	q1, q2, q3 := st("aws", "2025-Q1", "1000.00"), st("aws", "2025-Q2", "500.00"), st("aws", "2025-Q3", "250.00")
	sts := []Statement{q1, q2, q3, st("groq", "2025-Q1", "99.00")}
	pays := []payments.Payment{
		pay("aws", "2025-03-15", "100"),  // before Q1's statement (2025-04-01): on Q1's
		pay("aws", "2025-05-10", "900"),  // on Q2's (issued 2025-07-01)
		pay("aws", "2025-07-01", "200"),  // on Q2's: the day it is dated
		pay("aws", "2025-07-02", "300"),  // on Q3's
		pay("groq", "2025-05-10", "99"),  // another host
		pay("aws", "2025-10-02", "1000"), // after Q3's date
	}
	want := []string{
		"before 0.00 paid 100.00 this 1000.00 due 900.00 n 1",
		"before 900.00 paid 1100.00 this 500.00 due 300.00 n 2",
		"before 300.00 paid 300.00 this 250.00 due 250.00 n 1",
	}
	for i, s := range []Statement{q1, q2, q3} {
		a := StatementAccount(sts, pays, s)
		got := fmt.Sprintf("before %s paid %s this %s due %s n %d", a.Before.StringFixed(2), a.Paid.StringFixed(2), a.This.StringFixed(2), a.Due.StringFixed(2), len(a.Received))
		if got != want[i] {
			t.Errorf("%s: got %s, want %s", s.Period, got, want[i])
		}
	}
}

// TestProperties: for any statements and payments, per host issued − paid
// = balance, the buckets sum to the balance, open amounts lie within the
// statements, and payments fill statements oldest first (paid amounts are
// a prefix: no statement is paid while an older one is open).
func TestProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hosts := []string{"aws", "azure", "groq"}
		amount := func(label string, lo, hi int64) decimal.Decimal {
			return decimal.New(rapid.Int64Range(lo, hi).Draw(t, label), -2)
		}
		var sts []Statement
		for _, h := range hosts {
			n := rapid.IntRange(0, 6).Draw(t, "periods")
			for i := 0; i < n; i++ {
				p := period.Period{}
				p, _ = period.Parse(fmt.Sprintf("2025-%02d", 1+i))
				s := Statement{Host: h, Period: p, Issued: p.End().AddDate(0, 0, rapid.IntRange(1, 20).Draw(t, "close")), Payable: amount("payable", 0, 500000)}
				if s.Payable.Sign() > 0 {
					due := p.End().AddDate(0, 0, rapid.IntRange(0, 60).Draw(t, "due_days"))
					s.DueDate = &due
				}
				sts = append(sts, s)
			}
		}
		var pays []payments.Payment
		for i, n := 0, rapid.IntRange(0, 15).Draw(t, "payments"); i < n; i++ {
			d := day("2025-01-01").AddDate(0, 0, rapid.IntRange(0, 400).Draw(t, "day"))
			pays = append(pays, payments.Payment{Host: rapid.SampledFrom(hosts).Draw(t, "host"), Date: d, Amount: amount("amount", -100000, 600000)})
		}
		asOf := day("2025-01-01").AddDate(0, 0, rapid.IntRange(0, 500).Draw(t, "asof"))
		r := Compute(sts, pays, asOf)
		sum := decimal.Zero
		for _, h := range r.Hosts {
			if !h.Issued.Sub(h.Paid).Equal(h.Balance) {
				t.Fatalf("%s: issued %s − paid %s ≠ balance %s", h.Host, h.Issued, h.Paid, h.Balance)
			}
			if !h.Aging.Sum().Equal(h.Balance) {
				t.Fatalf("%s: buckets %v sum to %s, balance %s", h.Host, h.Aging, h.Aging.Sum(), h.Balance)
			}
			sawOpen := false
			for _, it := range h.Statements {
				if it.Open.Sign() < 0 || it.Open.GreaterThan(it.Payable) || !it.Paid.Add(it.Open).Equal(it.Payable) {
					t.Fatalf("%s %s: open %s of %s", h.Host, it.Period, it.Open, it.Payable)
				}
				if sawOpen && it.Paid.Sign() > 0 {
					t.Fatalf("%s %s: paid while an older statement is open", h.Host, it.Period)
				}
				if it.Open.Sign() > 0 {
					sawOpen = true
					if it.PaidOn != nil {
						t.Fatalf("%s %s: open and paid on %s", h.Host, it.Period, it.PaidOn)
					}
				} else if it.PaidOn == nil || it.PaidOn.After(asOf) {
					t.Fatalf("%s %s: paid, but paid on %v", h.Host, it.Period, it.PaidOn)
				}
			}
			sum = sum.Add(h.Balance)
		}
		if !sum.Equal(r.Totals.Balance) || !r.Totals.Aging.Sum().Equal(r.Totals.Balance) {
			t.Fatalf("totals: balance %s, hosts sum %s, buckets %s", r.Totals.Balance, sum, r.Totals.Aging.Sum())
		}
	})
}
