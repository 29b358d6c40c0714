package report

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/balance"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/period"
)

// AccountView is a statement's account (SPEC 10) as text: the balance
// before the statement, the payments received since the previous one, and
// the balance due including it.
type AccountView struct {
	Before     string
	BeforeNote string
	Payments   []AccountPayment
	This       string
	Due        string
	DueNote    string
	Credit     bool // the balance due is in the host's favour
}

// AccountPayment is one payment received. Like every reduction on a
// statement (SPEC 8) it is shown positive, its note saying it is
// subtracted; a refund to the host is a negative payment.
type AccountPayment struct {
	Date      string
	Reference string
	Amount    string
	Note      string // "EUR 1,000.00 at 1.1" for a converted payment, "refund to the host"
}

// SetAccounts gives each statement its account: issued are the host's
// issued statements (from the ledger and this run), pays the payments read.
// A statement's own entry in issued is found by host and period; one
// missing (a statement not issued before) is taken as dated its period's
// last day.
func SetAccounts(sts []*Statement, issued []balance.Statement, pays []payments.Payment, scale int32) {
	for _, st := range sts {
		p := periodOf(st)
		this := balance.Statement{Host: st.HostID, Period: p}
		found := false
		for _, is := range issued {
			if is.Host == st.HostID && is.Period == p {
				this, found = is, true
				break
			}
		}
		if !found {
			d, _ := money.ParseAmount(st.Payable, '.')
			this.Payable = d
		}
		a := balance.StatementAccount(issued, pays, this)
		st.Account = accountView(a, scale)
	}
}

func accountView(a balance.Account, scale int32) *AccountView {
	g := func(d decimal.Decimal) string { return money.Group(d, scale) }
	v := &AccountView{Before: g(a.Before), This: g(a.This), Due: g(a.Due)}
	if a.From != nil {
		v.BeforeNote = fmt.Sprintf("after the previous statement and the payments to %s", period.FormatDate(*a.From))
	} else {
		v.BeforeNote = "no earlier statement"
	}
	for _, p := range a.Received {
		ap := AccountPayment{Date: period.FormatDate(p.Date), Reference: p.Reference, Amount: g(p.Amount), Note: "subtracted"}
		if p.Amount.Sign() < 0 {
			ap.Note = "a refund to the host: a negative payment, added"
		}
		if !p.Rate.Equal(decimal.NewFromInt(1)) {
			conv := fmt.Sprintf("%s %s at %s", p.Currency, money.Group(p.Original, max(-p.Original.Exponent(), 0)), p.Rate.String())
			if ap.Note != "" {
				ap.Note += "; "
			}
			ap.Note += conv
		}
		v.Payments = append(v.Payments, ap)
	}
	switch a.Due.Sign() {
	case -1:
		v.Credit = true
		v.DueNote = "a credit in the host's favour"
	case 0:
		v.DueNote = "nothing due"
	default:
		v.DueNote = fmt.Sprintf("including this statement and payments to %s", period.FormatDate(a.To))
	}
	return v
}

// writeAccountMarkdown writes the Account section of a Markdown statement.
func writeAccountMarkdown(b *strings.Builder, st *Statement) {
	a := st.Account
	if a == nil {
		return
	}
	b.WriteString("\n## Account\n\n")
	t := mdTable{header: []string{"Step", "Amount", "Note"}, right: []bool{false, true, false}}
	t.add("Balance before this statement", a.Before, mdEscape(a.BeforeNote))
	if len(a.Payments) == 0 {
		t.add("Payments received", "0.00", "none since the previous statement")
	}
	for _, p := range a.Payments {
		label := "Payment received " + p.Date
		if p.Reference != "" {
			label += " (ref. " + mdEscape(p.Reference) + ")"
		}
		t.add(label, p.Amount, mdEscape(p.Note))
	}
	t.add("This statement", a.This, "added: amount payable above")
	t.add("**Balance due**", "**"+mdEscape(st.Currency)+" "+a.Due+"**", mdEscape(a.DueNote))
	t.write(b)
}

// writeChartMarkdown writes the chart's figures (Markdown has no picture).
func writeChartMarkdown(b *strings.Builder, st *Statement) {
	c := st.Chart
	if c == nil {
		return
	}
	b.WriteString("\n## Recent periods\n\n")
	t := mdTable{header: []string{"Period", "Revenue basis", "Share", "Amount payable"}, right: []bool{false, true, true, true}}
	for _, r := range c.Rows {
		period := r.Period
		if r.Current {
			period = "**" + period + "**"
		}
		t.add(period, r.Basis, r.Share, r.Payable)
	}
	t.write(b)
	for _, w := range c.Windows {
		fmt.Fprintf(b, "\nTier window %s.\n", mdEscape(w.Text))
	}
}
