package balance

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/payments"
)

// Account is the statement of account printed on one statement (SPEC 10):
// the host's balance before it, the payments received since the previous
// statement, and the balance due including it.
type Account struct {
	Before   decimal.Decimal    // balance after the previous statement and the payments it showed
	Received []payments.Payment // payments dated after the previous statement, up to this one's date
	Paid     decimal.Decimal    // Σ Received
	This     decimal.Decimal    // this statement's payable
	Due      decimal.Decimal    // Before − Paid + This
	From     *time.Time         // Received is dated after this day (nil: from the start)
	To       time.Time          // … and on or before this one: the statement's date
}

// Date is the day a statement is dated: its issue (close) date, else its
// period's last day.
func (s Statement) Date() time.Time {
	if !s.Issued.IsZero() {
		return s.Issued
	}
	return s.Period.End()
}

// StatementAccount returns the account for statement this of its host,
// given the host's other issued statements (any host's: others are
// skipped) and payments. The previous statement is the host's latest one
// of an earlier period; payments up to its date were shown on it, so each
// statement's Before is the previous one's Due.
func StatementAccount(sts []Statement, pays []payments.Payment, this Statement) Account {
	a := Account{Before: decimal.Zero, Paid: decimal.Zero, This: this.Payable, To: this.Date()}
	var prev *Statement
	for i := range sts {
		s := &sts[i]
		if s.Host != this.Host || !s.Period.Before(this.Period) {
			continue
		}
		a.Before = a.Before.Add(s.Payable)
		if prev == nil || prev.Period.Before(s.Period) {
			prev = s
		}
	}
	if prev != nil {
		d := prev.Date()
		a.From = &d
		if a.To.Before(d) {
			a.To = d // a late close of the previous period
		}
	}
	for _, p := range pays {
		if p.Host != this.Host || p.Date.After(a.To) {
			continue
		}
		if a.From != nil && !p.Date.After(*a.From) {
			a.Before = a.Before.Sub(p.Amount)
			continue
		}
		a.Received = append(a.Received, p)
		a.Paid = a.Paid.Add(p.Amount)
	}
	a.Due = a.Before.Sub(a.Paid).Add(a.This)
	return a
}
