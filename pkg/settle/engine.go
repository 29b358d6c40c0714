package settle

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/revenue"
)

// Options selects what a run settles.
type Options struct {
	Agreement *agreement.Agreement
	Periods   []period.Period // requested periods; empty = earliest..latest found
	Hosts     []string        // host ids or aliases to report; empty = all
	Format    string          // force an input format ("" = detect)
	Stdin     io.Reader       // for the file "-"
	// Reject receives bad rows when the run should go on without them
	// (--rejects). When nil, any bad row fails the run.
	Reject func(revenue.BadRow) error
	Warn   func(string)
}

// aggKey is the grain rows are summed at before conversion: the
// pre-aggregation grain of SPEC 5 (host, product, currency, date) plus the
// settlement period the date falls in.
type aggKey struct {
	host     string
	period   period.Period
	product  string
	currency string
	day      int64 // days since 1970 (0 when the day does not matter for conversion)
}

type sums struct {
	rows                                        int
	gross, refunds, taxes, fees, credits, units decimal.Decimal
	day                                         time.Time
}

func (s *sums) add(r *revenue.Row) {
	s.rows++
	s.gross = s.gross.Add(r.Gross)
	s.refunds = s.refunds.Add(r.Refunds)
	s.taxes = s.taxes.Add(r.Taxes)
	s.fees = s.fees.Add(r.Fees)
	s.credits = s.credits.Add(r.Credits)
	s.units = s.units.Add(r.Units)
}

// Run settles files under opts.
func Run(opts Options, files []string) (*Result, error) {
	ag := opts.Agreement
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	c, err := newChecker(opts)
	if err != nil {
		return nil, err
	}
	rates, selected := c.rates, c.selected

	agg := map[aggKey]*sums{}
	res := &Result{Agreement: ag}
	keep := func(r *revenue.Row) {
		key := aggKey{host: r.Host.ID, period: r.Period, product: r.Product, currency: r.Currency}
		if r.Currency != ag.Currency && rates.Method() == fx.Daily {
			key.day = r.Date.Unix() / 86400
		}
		s := agg[key]
		if s == nil {
			s = &sums{day: r.Date}
			agg[key] = s
		}
		s.add(r)
	}
	bad := badRows()
	for _, path := range files {
		in, err := c.read(path, opts, bad, keep)
		if err != nil {
			return nil, err
		}
		res.Inputs = append(res.Inputs, in)
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}

	// Requested periods.
	res.Periods = opts.Periods
	if len(res.Periods) == 0 && !c.first.IsZero() {
		for p := c.first; !p.After(c.latest); p = p.Next() {
			res.Periods = append(res.Periods, p)
		}
	}
	if len(res.Periods) == 0 {
		return res, nil
	}
	last := res.Periods[len(res.Periods)-1]
	requested := map[period.Period]bool{}
	for _, p := range res.Periods {
		requested[p] = true
	}

	// Group the aggregates by host and period, converting to the
	// settlement currency (unrounded), then by product.
	type hp struct {
		host string
		p    period.Period
	}
	byHP := map[hp]map[string]*sums{}
	for k, s := range agg {
		rate := decimal.NewFromInt(1)
		if k.currency != ag.Currency {
			r, err := rates.Rate(k.currency, s.day, k.period)
			if err != nil {
				return nil, err // checked per row above
			}
			rate = r
		}
		m := byHP[hp{k.host, k.period}]
		if m == nil {
			m = map[string]*sums{}
			byHP[hp{k.host, k.period}] = m
		}
		t := m[k.product]
		if t == nil {
			t = &sums{}
			m[k.product] = t
		}
		t.rows += s.rows
		t.gross = t.gross.Add(s.gross.Mul(rate))
		t.refunds = t.refunds.Add(s.refunds.Mul(rate))
		t.taxes = t.taxes.Add(s.taxes.Mul(rate))
		t.fees = t.fees.Add(s.fees.Mul(rate))
		t.credits = t.credits.Add(s.credits.Mul(rate))
		t.units = t.units.Add(s.units)
	}

	for _, h := range ag.Hosts {
		if len(selected) > 0 && !selected[h.ID] {
			continue
		}
		hs := &hostRun{ag: ag, host: h}
		var empty []period.Period
		for _, v := range h.Terms {
			if v.From.After(last) {
				break
			}
			vs := newVersionState(v)
			for p := v.From; !p.After(last) && v.Covers(p); p = p.Next() {
				products := byHP[hp{h.ID, p}]
				st := hs.period(vs, p, products)
				if requested[p] {
					res.Settlements = append(res.Settlements, st)
				} else if len(products) == 0 && p.Before(last) {
					empty = append(empty, p)
				}
			}
		}
		if len(empty) > 0 {
			labels := make([]string, len(empty))
			for i, p := range empty {
				labels[i] = p.String()
			}
			msg := fmt.Sprintf("host %s has no rows in %s, which the state of later periods builds on", h.ID, strings.Join(labels, ", "))
			res.Warnings = append(res.Warnings, msg)
			warn(msg)
		}
	}
	for _, s := range res.Settlements {
		res.Totals.Gross = res.Totals.Gross.Add(s.Gross)
		res.Totals.Basis = res.Totals.Basis.Add(s.Basis)
		res.Totals.Share = res.Totals.Share.Add(s.Share)
		res.Totals.Payable = res.Totals.Payable.Add(s.Payable)
	}
	return res, nil
}

// sortedProducts returns the product names of m in order.
func sortedProducts(m map[string]*sums) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// roundAll applies the agreement's rounding to a product's summed figures.
func roundAll(r money.Rounding, s *sums) Product {
	return Product{
		Rows:    s.rows,
		Gross:   r.Round(s.gross),
		Refunds: r.Round(s.refunds),
		Taxes:   r.Round(s.taxes),
		Fees:    r.Round(s.fees),
		Credits: r.Round(s.credits),
		Units:   s.units,
	}
}
