package ledger

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// NewInput is an input file of a ledger run, read into sums.
type NewInput struct {
	settle.Collected
	Replaces string // sha256 of the closed input it supersedes (--replace), or ""
}

// Run is a settlement with a ledger (SPEC 9): the closed periods come from
// the ledger's sums, the inputs add late rows and open periods' rows.
type Run struct {
	Agreement *agreement.Agreement
	Rates     *fx.Table // nil without fx
	Ledger    *Ledger   // the closed periods
	Inputs    []NewInput
	Periods   []period.Period // requested periods, all open; empty = first open .. latest found
	Hosts     []string
	Warn      func(string)
}

// FirstOpen returns the first open period: the one after the last entry,
// or, for an empty ledger, the first period of any host's terms.
func FirstOpen(ag *agreement.Agreement, l *Ledger) period.Period {
	if last := l.Last(); last != nil {
		return last.PeriodOf().Next()
	}
	var first period.Period
	for _, h := range ag.Hosts {
		for _, t := range h.Terms {
			if first.IsZero() || t.From.Before(first) {
				first = t.From
			}
		}
	}
	return first
}

// replaced returns the sha256s of the closed inputs superseded, in the
// ledger or by this run.
func (r *Run) replaced() map[string]bool {
	out := map[string]bool{}
	for _, e := range r.Ledger.Entries {
		for _, in := range e.Inputs {
			if in.Replaces != nil {
				out[*in.Replaces] = true
			}
		}
	}
	for _, in := range r.Inputs {
		if in.Replaces != "" {
			out[in.Replaces] = true
		}
	}
	return out
}

type hostPeriod struct {
	host string
	p    period.Period
}

// Settle replays every closed and requested period from the ledger's sums,
// the late rows and the replacements, under the run's agreement and rates,
// and returns the requested periods' settlements, the first open one with
// its prior-period adjustments (SPEC 9).
func (r *Run) Settle() (*settle.Result, error) {
	ag := r.Agreement
	warn := r.Warn
	if warn == nil {
		warn = func(string) {}
	}
	open := FirstOpen(ag, r.Ledger)
	agg, closedSums, err := r.closedSums()
	if err != nil {
		return nil, err
	}
	causes, touched, latest, err := r.newSums(agg, closedSums, open)
	if err != nil {
		return nil, err
	}
	periods := r.Periods
	if len(periods) == 0 {
		for p := open; !p.After(latest); p = p.Next() {
			periods = append(periods, p)
		}
	}
	for _, p := range periods {
		if r.Ledger.Closed(p) {
			return nil, fmt.Errorf("period %s is closed in ledger %s", p, r.Ledger.Dir)
		}
	}
	all := periods
	if len(r.Ledger.Entries) > 0 {
		all = nil
		for p := r.Ledger.Entries[0].PeriodOf(); !p.After(periods[len(periods)-1]); p = p.Next() {
			all = append(all, p)
		}
	}
	res, err := settle.Settle(ag, r.Rates, agg, settle.Request{Periods: all, Hosts: r.Hosts, Warn: warn})
	if err != nil {
		return nil, err
	}

	// restated(h, p) and settled(h, p) for the closed periods.
	restated := map[hostPeriod]decimal.Decimal{}
	requested := map[period.Period]bool{}
	for _, p := range periods {
		requested[p] = true
	}
	var out []*settle.Settlement
	for _, s := range res.Settlements {
		if r.Ledger.Closed(s.Period) {
			restated[hostPeriod{s.Host.ID, s.Period}] = s.Payable
		} else if requested[s.Period] {
			out = append(out, s)
		}
	}
	settled := settledOf(r.Ledger)
	r.amendments(restated, settled, touched, warn)
	for _, s := range out {
		r.adjust(s, open, settled, restated, causes)
	}
	res.Settlements = out
	res.Periods = periods
	res.Ledger = true
	res.Totals = settle.Totals{}
	for _, s := range out {
		res.Totals.Gross = res.Totals.Gross.Add(s.Gross)
		res.Totals.Basis = res.Totals.Basis.Add(s.Basis)
		res.Totals.Share = res.Totals.Share.Add(s.Share)
		res.Totals.Payable = res.Totals.Payable.Add(s.Payable)
	}
	for _, in := range r.Inputs {
		res.Inputs = append(res.Inputs, in.Input)
	}
	return res, nil
}

// closedSums sums the ledger's closed inputs, but those this run
// replaces, into one Aggregate, and returns every closed input's own
// sums by its sha256 (for the files behind an adjustment).
func (r *Run) closedSums() (*settle.Aggregate, map[string]*settle.Aggregate, error) {
	replaced := r.replaced()
	agg := &settle.Aggregate{}
	closedSums := map[string]*settle.Aggregate{}
	for _, e := range r.Ledger.Entries {
		for i := range e.Inputs {
			in := &e.Inputs[i]
			a, err := in.Aggregate()
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %v", e.file, err)
			}
			closedSums[in.SHA256] = a
			if !replaced[in.SHA256] {
				agg.Merge(a)
			}
		}
	}
	return agg, closedSums, nil
}

// newSums adds this run's inputs to agg and finds the files of this run
// with rows of each host in each closed period (late rows, or a
// replacement's rows or its predecessor's), the closed periods with any,
// and the latest period of any row (open at the least).
func (r *Run) newSums(agg *settle.Aggregate, closedSums map[string]*settle.Aggregate, open period.Period) (map[hostPeriod][]string, map[period.Period]bool, period.Period, error) {
	causes := map[hostPeriod][]string{}
	touched := map[period.Period]bool{}
	cause := func(host string, p period.Period, file string) {
		if !r.Ledger.Closed(p) {
			return
		}
		touched[p] = true
		k := hostPeriod{host, p}
		for _, f := range causes[k] {
			if f == file {
				return
			}
		}
		causes[k] = append(causes[k], file)
	}
	latest := open
	for _, in := range r.Inputs {
		agg.Merge(in.Sums)
		keys := in.Sums.Keys()
		if in.Replaces != "" {
			if old := closedSums[in.Replaces]; old != nil {
				keys = append(keys, old.Keys()...)
			}
		}
		for _, k := range keys {
			p, _, err := k.When(r.Agreement.Period)
			if err != nil {
				return nil, nil, latest, err
			}
			cause(k.Host, p, in.Path)
			if p.After(latest) {
				latest = p
			}
		}
	}
	return causes, touched, latest, nil
}

// adjust gives s, a settlement of this run, its ledger figures: in the
// first open period, an adjustment for every closed period whose
// restated payable differs from what was settled, added to its payable
// (clipped at zero, and due only when positive).
func (r *Run) adjust(s *settle.Settlement, open period.Period, settled, restated map[hostPeriod]decimal.Decimal, causes map[hostPeriod][]string) {
	lf := &settle.LedgerFigures{OwnPayable: s.Payable, Adjustments: []settle.Adjustment{}}
	s.Ledger = lf
	if s.Period != open {
		return
	}
	for _, e := range r.Ledger.Entries {
		p := e.PeriodOf()
		k := hostPeriod{s.Host.ID, p}
		st, re := settled[k], restated[k]
		if st.Equal(re) {
			continue
		}
		lf.Adjustments = append(lf.Adjustments, settle.Adjustment{Period: p, Settled: st, Restated: re,
			Adjustment: re.Sub(st), Files: causes[k]})
		lf.PriorAdjustments = lf.PriorAdjustments.Add(re.Sub(st))
	}
	s.Payable = decimal.Max(decimal.Zero, lf.OwnPayable.Add(lf.PriorAdjustments))
	s.DueDate = nil
	if s.Payable.Sign() > 0 {
		d := s.Period.End().AddDate(0, 0, s.Terms.Payout.DueDays)
		s.DueDate = &d
	}
}

// settledOf returns settled(h, p) for every host and closed period of the
// ledger: its own payable as issued (payable − prior_adjustments) plus
// every adjustment issued for it since. A shortfall (an issued payable
// clipped at zero) thus stays in the period that issued it, and
// Σ settled = Σ issued payable.
func settledOf(l *Ledger) map[hostPeriod]decimal.Decimal {
	settled := map[hostPeriod]decimal.Decimal{}
	for _, e := range l.Entries {
		for _, is := range e.issued {
			k := hostPeriod{is.Host, is.Period}
			settled[k] = settled[k].Add(is.Payable).Sub(is.PriorAdjustments)
			for _, a := range is.Adjustments {
				p, err := period.Parse(a.Period)
				d, err2 := decimal.NewFromString(a.Adjustment)
				if err != nil || err2 != nil {
					continue
				}
				k := hostPeriod{is.Host, p}
				settled[k] = settled[k].Add(d)
			}
		}
	}
	return settled
}

// amendments warns about each closed period whose figures the current
// agreement restates without any late row or replacement (SPEC 9: a
// retroactive amendment).
func (r *Run) amendments(restated, settled map[hostPeriod]decimal.Decimal, touched map[period.Period]bool, warn func(string)) {
	var keys []hostPeriod
	for k := range restated {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].p != keys[j].p {
			return keys[i].p.Before(keys[j].p)
		}
		return keys[i].host < keys[j].host
	})
	warned := map[period.Period]bool{}
	for _, k := range keys {
		e := r.Ledger.Entry(k.p)
		if e == nil || warned[k.p] || touched[k.p] || e.Agreement.SHA256 == r.Agreement.SHA256 {
			continue
		}
		if !restated[k].Equal(settled[k]) {
			warned[k.p] = true
			warn(fmt.Sprintf("%s: the agreement changed since it was closed (sha256 %.12s, now %.12s) and restates its figures without late rows: a retroactive amendment", k.p, e.Agreement.SHA256, r.Agreement.SHA256))
		}
	}
}
