package settle

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/period"
)

// Key is SPEC 5's pre-aggregation grain: revenue summed per host, product,
// currency and date (or period label) settles to the same cent as the rows
// it sums.
type Key struct {
	Host     string // host id
	Product  string // as the reader gives it: trimmed, lower-cased
	Currency string // ISO 4217, as in the revenue
	Date     string // YYYY-MM-DD, or a period label at the agreement's period or finer
}

// Sums are the exact original-currency sums of one Key's rows.
type Sums struct {
	Rows                                        int
	Gross, Refunds, Taxes, Fees, Credits, Units decimal.Decimal
}

// Add adds o to s.
func (s *Sums) Add(o Sums) {
	s.Rows += o.Rows
	s.Gross = s.Gross.Add(o.Gross)
	s.Refunds = s.Refunds.Add(o.Refunds)
	s.Taxes = s.Taxes.Add(o.Taxes)
	s.Fees = s.Fees.Add(o.Fees)
	s.Credits = s.Credits.Add(o.Credits)
	s.Units = s.Units.Add(o.Units)
}

// Aggregate is revenue summed at the pre-aggregation grain: what Settle
// settles. The zero value is empty and ready to use.
type Aggregate struct {
	m map[Key]*Sums
}

// Add adds s to the sums of k.
func (a *Aggregate) Add(k Key, s Sums) {
	if a.m == nil {
		a.m = map[Key]*Sums{}
	}
	t := a.m[k]
	if t == nil {
		t = &Sums{}
		a.m[k] = t
	}
	t.Add(s)
}

// Merge adds every sum of b to a.
func (a *Aggregate) Merge(b *Aggregate) {
	if b == nil {
		return
	}
	for k, s := range b.m {
		a.Add(k, *s)
	}
}

// Len is the number of keys.
func (a *Aggregate) Len() int { return len(a.m) }

// Sums returns the sums of k (zero when absent).
func (a *Aggregate) Sums(k Key) Sums {
	if s := a.m[k]; s != nil {
		return *s
	}
	return Sums{}
}

// Keys returns the keys in order: host, date, product, currency.
func (a *Aggregate) Keys() []Key {
	keys := make([]Key, 0, len(a.m))
	for k := range a.m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		x, y := keys[i], keys[j]
		if x.Host != y.Host {
			return x.Host < y.Host
		}
		if x.Date != y.Date {
			return x.Date < y.Date
		}
		if x.Product != y.Product {
			return x.Product < y.Product
		}
		return x.Currency < y.Currency
	})
	return keys
}

// When resolves a key's date or period label under kind: the settlement
// period it belongs to and the day its fx rate is taken on (a label's last
// day, as for a row with only a period label).
func (k Key) When(kind period.Kind) (period.Period, time.Time, error) {
	if d, err := period.ParseDate(k.Date); err == nil {
		return period.Of(d, kind), d, nil
	}
	p, err := period.Parse(k.Date)
	if err != nil {
		return period.Period{}, time.Time{}, fmt.Errorf("%q is neither a date nor a period label", k.Date)
	}
	q, err := p.In(kind)
	if err != nil {
		return period.Period{}, time.Time{}, err
	}
	return q, p.End(), nil
}

// Request says what Settle reports.
type Request struct {
	Periods []period.Period // requested periods; empty = earliest..latest found
	Hosts   []string        // host ids or aliases; empty = all
	Warn    func(string)
}

// Settle is the engine without I/O: it settles an aggregate under an
// agreement (SPEC 5), converting other currencies with rates (nil when the
// agreement has no fx). Every key must name a host, a product a rule of
// the host's terms matches, and a currency with a rate; otherwise Settle
// fails naming the key. The result has no Inputs: the caller read them.
func Settle(ag *agreement.Agreement, rates *fx.Table, agg *Aggregate, req Request) (*Result, error) {
	c := &checker{ag: ag, rates: rates, selected: map[string]bool{}}
	for _, h := range req.Hosts {
		host := ag.Host(h)
		if host == nil {
			return nil, &UnknownHostError{Host: h, Agreement: ag.Path}
		}
		c.selected[host.ID] = true
	}
	keep := &aggregate{ag: ag, rates: rates, byHP: map[hp]*productSums{}}
	var last period.Period
	if len(req.Periods) > 0 {
		last = req.Periods[len(req.Periods)-1]
	}
	for _, k := range agg.Keys() {
		s := agg.m[k]
		h := ag.HostByID(k.Host)
		if h == nil {
			return nil, fmt.Errorf("%s %s %s %s: no such host", k.Host, k.Product, k.Currency, k.Date)
		}
		p, day, err := k.When(ag.Period)
		if err != nil {
			return nil, fmt.Errorf("%s %s %s: %v", k.Host, k.Product, k.Currency, err)
		}
		if (len(c.selected) > 0 && !c.selected[h.ID]) || (!last.IsZero() && p.After(last)) {
			c.note(p)
			continue
		}
		t := h.TermsFor(p)
		if t == nil {
			return nil, fmt.Errorf("%s %s %s %s: no terms of host %s cover %s", k.Host, k.Product, k.Currency, k.Date, h.ID, p)
		}
		if t.Rule(k.Product) == nil {
			return nil, fmt.Errorf("%s %s %s %s: no rule of host %s's terms for %s matches product %q", k.Host, k.Product, k.Currency, k.Date, h.ID, p, k.Product)
		}
		if k.Currency != ag.Currency {
			if rates == nil {
				return nil, fmt.Errorf("%s %s %s %s: revenue in %s but the agreement has no fx rates", k.Host, k.Product, k.Currency, k.Date, k.Currency)
			}
			if _, err := rates.Rate(k.Currency, day, p); err != nil {
				return nil, fmt.Errorf("%s %s %s %s: %v", k.Host, k.Product, k.Currency, k.Date, err)
			}
		}
		c.note(p)
		keep.convert(h.ID, p, k.Product, k.Currency, day, &rowSums{rows: s.Rows,
			fig: [6]decimal.Decimal{s.Gross, s.Refunds, s.Taxes, s.Fees, s.Credits, s.Units}})
	}
	if keep.err != nil {
		return nil, keep.err
	}
	res := &Result{Agreement: ag}
	if rates != nil && rates.SHA256() != "" {
		res.FX = &FXSource{Path: rates.Path(), SHA256: rates.SHA256(), Method: rates.Method()}
	}
	warn := req.Warn
	if warn == nil {
		warn = func(string) {}
	}
	periods := req.Periods
	if len(periods) == 0 {
		var err error
		if periods, err = c.defaultPeriods(Options{}); err != nil {
			return nil, err
		}
	}
	replay(res, c, keep, periods, warn)
	if err := checkDates(res); err != nil {
		return nil, err
	}
	return res, nil
}
