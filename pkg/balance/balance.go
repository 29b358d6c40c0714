// Package balance computes what each host still owes (SPEC 10): the
// statements issued to it, the payments it made, payments applied to the
// oldest open statement first, and the balance aged by days past due. It is
// pure: the issued statements come from the ledger and the payments from
// pkg/payments, read by the caller.
package balance

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/period"
)

// Statement is one issued statement: what a host was asked to pay for a
// period.
type Statement struct {
	Host    string
	Period  period.Period
	Issued  time.Time       // the day it was issued (the period's close date); zero = unknown, always counted
	Payable decimal.Decimal // as issued, prior-period adjustments included
	// PriorAdjustments is the part of Payable that adjusts closed periods
	// (SPEC 9), for information.
	PriorAdjustments decimal.Decimal
	DueDate          *time.Time // nil when nothing was payable
}

// Buckets are the aging buckets of SPEC 10, by days past due.
var Buckets = []string{"current", "1-30", "31-60", "61-90", "90+"}

// Aging holds an amount per bucket, in the order of Buckets.
type Aging [5]decimal.Decimal

// Sum is the total of the buckets.
func (a Aging) Sum() decimal.Decimal {
	s := decimal.Zero
	for _, d := range a {
		s = s.Add(d)
	}
	return s
}

// PastDue is the total of every bucket but `current`.
func (a Aging) PastDue() decimal.Decimal { return a.Sum().Sub(a[0]) }

// Bucket returns the index in Buckets of an amount days past due: not yet
// due or due today is current; 1 to 30 days, 31 to 60, 61 to 90, then 90+.
func Bucket(days int) int {
	switch {
	case days <= 0:
		return 0
	case days <= 30:
		return 1
	case days <= 60:
		return 2
	case days <= 90:
		return 3
	}
	return 4
}

// Item is one issued statement with something payable, as it stands.
type Item struct {
	Statement
	Paid        decimal.Decimal // applied to it so far
	Open        decimal.Decimal // Payable − Paid
	DaysPastDue int             // as-of − due date when open and past due, else 0
	PaidOn      *time.Time      // the day it became fully paid; nil while open
}

// Host is one host's account as of a date.
type Host struct {
	Host       string
	Issued     decimal.Decimal // Σ payable issued up to as-of
	Paid       decimal.Decimal // Σ payments up to as-of (refunds to the host negative)
	Balance    decimal.Decimal // Issued − Paid; negative = credit
	Aging      Aging           // the balance by days past due; credit sits in current
	Statements []Item          // statements with something payable, oldest first
	Payments   []payments.Payment
}

// Credit is what the host has paid beyond what was issued (0 or more).
func (h Host) Credit() decimal.Decimal {
	if h.Balance.Sign() < 0 {
		return h.Balance.Neg()
	}
	return decimal.Zero
}

// PastDue is what is past its due date.
func (h Host) PastDue() decimal.Decimal { return h.Aging.PastDue() }

// Report is every host's account as of a date.
type Report struct {
	AsOf   time.Time
	Hosts  []Host // by id
	Totals Host   // sums over the hosts (Host and lists empty)
}

// Compute builds the accounts as of asOf from the issued statements and
// the payments: a statement counts once issued on or before asOf (one with
// no issue date always counts), a payment once dated on or before asOf.
// hosts lists hosts to report even without statements or payments.
//
// The payments a host has made, net of refunds, pay its statements oldest
// period first; what is left over is a credit, and a net refund beyond
// what was paid is owed with no due date (current). So the open amounts
// plus that unallocated rest are the balance, and the buckets sum to it.
func Compute(sts []Statement, pays []payments.Payment, asOf time.Time, hosts ...string) Report {
	byHost := map[string]*Host{}
	get := func(id string) *Host {
		h := byHost[id]
		if h == nil {
			h = &Host{Host: id, Issued: decimal.Zero, Paid: decimal.Zero}
			byHost[id] = h
		}
		return h
	}
	for _, id := range hosts {
		get(id)
	}
	for _, s := range sts {
		if !s.Issued.IsZero() && s.Issued.After(asOf) {
			continue
		}
		h := get(s.Host)
		h.Issued = h.Issued.Add(s.Payable)
		if s.Payable.Sign() > 0 {
			h.Statements = append(h.Statements, Item{Statement: s})
		}
	}
	for _, p := range pays {
		if p.Date.After(asOf) {
			continue
		}
		h := get(p.Host)
		h.Paid = h.Paid.Add(p.Amount)
		h.Payments = append(h.Payments, p)
	}
	r := Report{AsOf: asOf}
	for _, h := range byHost {
		h.account(asOf)
		r.Hosts = append(r.Hosts, *h)
	}
	sort.Slice(r.Hosts, func(i, j int) bool { return r.Hosts[i].Host < r.Hosts[j].Host })
	t := Host{Issued: decimal.Zero, Paid: decimal.Zero, Balance: decimal.Zero}
	for i := range t.Aging {
		t.Aging[i] = decimal.Zero
	}
	for _, h := range r.Hosts {
		t.Issued = t.Issued.Add(h.Issued)
		t.Paid = t.Paid.Add(h.Paid)
		t.Balance = t.Balance.Add(h.Balance)
		for i := range t.Aging {
			t.Aging[i] = t.Aging[i].Add(h.Aging[i])
		}
	}
	r.Totals = t
	return r
}

// account allocates the host's payments to its statements and ages the
// balance.
func (h *Host) account(asOf time.Time) {
	sort.SliceStable(h.Statements, func(i, j int) bool { return h.Statements[i].Period.Before(h.Statements[j].Period) })
	sort.SliceStable(h.Payments, func(i, j int) bool { return h.Payments[i].Date.Before(h.Payments[j].Date) })
	h.Balance = h.Issued.Sub(h.Paid)
	for i := range h.Aging {
		h.Aging[i] = decimal.Zero
	}
	left := h.Paid // net payments still to apply
	cum := decimal.Zero
	open := decimal.Zero
	for i := range h.Statements {
		it := &h.Statements[i]
		it.Paid = decimal.Min(decimal.Max(left, decimal.Zero), it.Payable)
		left = left.Sub(it.Paid)
		it.Open = it.Payable.Sub(it.Paid)
		cum = cum.Add(it.Payable)
		if it.Open.Sign() > 0 {
			days := 0
			if it.DueDate != nil {
				days = daysBetween(*it.DueDate, asOf)
			}
			if days > 0 {
				it.DaysPastDue = days
			}
			b := Bucket(days)
			h.Aging[b] = h.Aging[b].Add(it.Open)
			open = open.Add(it.Open)
		} else {
			it.PaidOn = paidOn(h.Payments, cum, it.Issued)
		}
	}
	// Credit (negative) or a net refund beyond the payments (positive):
	// no due date, so current.
	h.Aging[0] = h.Aging[0].Add(h.Balance.Sub(open))
}

// paidOn is the day the running total of payments last reached cum (the
// statements up to this one) and stayed there, or the day the statement
// was issued if that is later (a credit paid it).
func paidOn(pays []payments.Payment, cum decimal.Decimal, issued time.Time) *time.Time {
	run := decimal.Zero
	var on *time.Time
	for i := range pays {
		run = run.Add(pays[i].Amount)
		if run.Cmp(cum) >= 0 {
			if on == nil {
				d := pays[i].Date
				on = &d
			}
		} else {
			on = nil
		}
	}
	if on == nil {
		return nil
	}
	d := *on
	if d.Before(issued) {
		d = issued
	}
	return &d
}

// daysBetween is the number of calendar days from a to b (negative when b
// is earlier).
func daysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours()) / 24
}
