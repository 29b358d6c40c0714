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
	// RowByRow turns the reader's fast path off: every row is decoded
	// into decimals one by one. The result is the same; tests compare.
	RowByRow bool
	// Progress is handed to the reader (revenue.Options.Progress).
	Progress func(path string, size int64) func(read int64)
	// BlockSize sets the fast path's block size (tests cut small files
	// into many blocks with it); 0 is the default.
	BlockSize int
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

// hp names a host's period.
type hp struct {
	host string
	p    period.Period
}

// aggregate gathers what a run settles: rows one by one at the grain
// aggKey (converted to the settlement currency at the end), and the
// reader's sums converted as they come, per host, period and product.
type aggregate struct {
	ag    *agreement.Agreement
	rates *fx.Table
	sums  map[aggKey]*sums
	byHP  map[hp]map[string]*sums
	err   error
}

func (a *aggregate) row(r *revenue.Row) {
	key := aggKey{host: r.Host.ID, period: r.Period, product: r.Product, currency: r.Currency}
	if r.Currency != a.ag.Currency && a.rates.Method() == fx.Daily {
		key.day = r.Date.Unix() / 86400
	}
	s := a.sums[key]
	if s == nil {
		s = &sums{day: r.Date}
		a.sums[key] = s
	}
	s.add(r)
}

func (a *aggregate) group(g *revenue.Group) {
	a.convert(g.Host.ID, g.Period, g.Product, g.Currency, g.Day, &sums{rows: g.Rows,
		gross: g.Gross, refunds: g.Refunds, taxes: g.Taxes, fees: g.Fees, credits: g.Credits, units: g.Units})
}

// convert adds s, in currency cur on day, to the product's sums in the
// settlement currency, unrounded (SPEC 5 step 1).
func (a *aggregate) convert(host string, p period.Period, product, cur string, day time.Time, s *sums) {
	m := a.byHP[hp{host, p}]
	if m == nil {
		m = map[string]*sums{}
		a.byHP[hp{host, p}] = m
	}
	t := m[product]
	if t == nil {
		t = &sums{}
		m[product] = t
	}
	t.rows += s.rows
	t.units = t.units.Add(s.units)
	if cur == a.ag.Currency {
		t.gross = t.gross.Add(s.gross)
		t.refunds = t.refunds.Add(s.refunds)
		t.taxes = t.taxes.Add(s.taxes)
		t.fees = t.fees.Add(s.fees)
		t.credits = t.credits.Add(s.credits)
		return
	}
	rate, err := a.rates.Rate(cur, day, p)
	if err != nil {
		if a.err == nil {
			a.err = err // checked per row already: cannot happen
		}
		return
	}
	t.gross = t.gross.Add(s.gross.Mul(rate))
	t.refunds = t.refunds.Add(s.refunds.Mul(rate))
	t.taxes = t.taxes.Add(s.taxes.Mul(rate))
	t.fees = t.fees.Add(s.fees.Mul(rate))
	t.credits = t.credits.Add(s.credits.Mul(rate))
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
	keep := &aggregate{ag: ag, rates: rates, sums: agg, byHP: map[hp]map[string]*sums{}}
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

	// Convert the rows summed one by one, and group everything by host
	// and period, then product.
	for k, s := range agg {
		keep.convert(k.host, k.period, k.product, k.currency, s.day, s)
	}
	if keep.err != nil {
		return nil, keep.err
	}
	byHP := keep.byHP

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
