package settle

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// Options selects what a run settles.
type Options struct {
	Agreement *agreement.Agreement
	Periods   []period.Period // requested periods; empty = earliest..latest found
	Hosts     []string        // host ids or aliases to report; empty = all
	Format    string          // force an input format ("" = detect)
	Stdin     io.Reader       // for the file "-"
	// Files is where the inputs and the agreement's fx rates file are
	// read from: the file system, relative paths from its Dir ("" = the
	// process's working folder), or its FS when set (a program's files, a
	// test's in memory). Results and messages keep the paths as given.
	Files workdir.Source
	// Context, when set, stops the reading once it is done (SIGINT).
	Context context.Context
	// Reject receives bad rows when the run should go on without them
	// (--rejects). When nil, any bad row fails the run.
	Reject func(ingest.BadRow) error
	Warn   func(string)
	// RowByRow turns the reader's fast path off: every row is decoded
	// into decimals one by one. The result is the same; tests compare.
	RowByRow bool
	// Progress is handed to the reader (ingest.Options.Progress).
	Progress func(path string, size int64) func(read int64)
	// BlockSize sets the fast path's block size (tests cut small files
	// into many blocks with it); 0 is the default.
	BlockSize int
	// Lean keeps of each settlement only what the settle command's outputs
	// show: its figures, currencies and lines. Products and Trace.Scopes,
	// which explain and statements print, are dropped as soon as the
	// period is settled: with many distinct products they are most of a
	// result's memory.
	Lean bool
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

// rateScale is how many decimals a rate may have for the fixed-point
// conversion; a rate with more goes through decimals, as exactly.
const rateScale = ingest.RateScale

const fixedScale = money.FixedScale + rateScale

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
	sums  map[aggKey]*rowSums
	byHP  map[hp]*productSums
	names productNames // of byHP's products
	// fileIDs maps the file being read's product numbers
	// (Key.ProductNum-1) to 1 + names' id, 0 not yet known.
	fileIDs []int32
	// wide holds the full sums rows read one by one are added to, one
	// per host, period and product (product): a key per day each would
	// make as many entries, merged at the replay.
	wide map[wideKey]*sums
	err  error

	mu        sync.Mutex // guards rateCache, which the reader's workers reach through dailyRate
	rateCache map[fxKey]fxRate
}

func (a *aggregate) row(r *ingest.Row) {
	key := aggKey{host: r.Host.ID, period: r.Period, product: r.Product, currency: r.Currency}
	if r.Currency != a.ag.Currency && a.rates.Method() == fx.Daily {
		key.day = r.Date.Unix() / 86400
	}
	s := a.sums[key]
	if s == nil {
		s = &rowSums{day: r.Date}
		a.sums[key] = s
	}
	s.add(r)
}

// group adds the reader's sums for a key. The conversion stays in integers
// — amount × rate × 10^rateScale, exact in 128 bits — when the rate has at
// most rateScale decimals and the numbers fit; otherwise it goes through
// decimals. Either way the result is the exact product of SPEC 5 step 1.
func (a *aggregate) group(g *ingest.Group) {
	ps := a.period(g.Host.ID, g.Period)
	id := a.productID(&g.Key)
	if a.compact(ps, id, g) {
		return
	}
	a.groupInto(ps.addWide(id), g)
}

// productID returns names' id of k's product, by its number in the file
// when it has one: a slice look-up instead of hashing the name.
func (a *aggregate) productID(k *ingest.Key) int32 {
	n := int(k.ProductNum) - 1
	if n < 0 {
		return a.names.id(k.Product)
	}
	if n >= len(a.fileIDs) {
		a.fileIDs = append(a.fileIDs, make([]int32, n+1-len(a.fileIDs))...)
	}
	if id := a.fileIDs[n]; id > 0 {
		return id - 1
	}
	id := a.names.id(k.Product)
	a.fileIDs[n] = id + 1
	return id
}

func (a *aggregate) newFile() { a.fileIDs = a.fileIDs[:0] }

// compact adds g as a compact entry (productSums.addGroup) when its
// amounts as read fit int64s and, converted, are in integers: by the
// reader, or here with a rate of at most rateScale decimals. Otherwise it
// adds nothing.
func (a *aggregate) compact(ps *productSums, id int32, g *ingest.Group) bool {
	var amounts [6]int64
	var ok bool
	if amounts[figUnits], ok = g.Sums[figUnits].Int64(); !ok {
		return false
	}
	if g.Converted {
		for i := 0; i < 5; i++ {
			if amounts[i], ok = g.Original[i].Int64(); !ok {
				return false
			}
		}
		conv := [5]money.Sum(g.Sums[:5])
		return ps.addGroup(id, g.Rows, &amounts, g.Currency, &conv)
	}
	m, _, err := a.fixedRate(g.Currency, g.Day, g.Period)
	if err != nil || m == 0 {
		return false
	}
	for i := 0; i < 5; i++ {
		if amounts[i], ok = g.Sums[i].Int64(); !ok {
			return false
		}
	}
	if g.Currency == a.ag.Currency {
		return ps.addGroup(id, g.Rows, &amounts, "", nil)
	}
	var conv [5]money.Sum
	for i := 0; i < 5; i++ {
		conv[i] = money.Product(amounts[i], m)
	}
	return ps.addGroup(id, g.Rows, &amounts, g.Currency, &conv)
}

// groupInto adds a group to t, full sums.
func (a *aggregate) groupInto(t *sums, g *ingest.Group) {
	t.rows += g.Rows
	if !t.fixedUnits.AddChecked(g.Sums[5]) {
		t.addDec(5, g.Sums[5].Decimal())
	}
	if g.Converted {
		// Converted by the reader row by row with a.dailyRate: already
		// amount × rate × 10^rateScale.
		var conv [5]money.Sum
		for i := 0; i < 5; i++ {
			if !g.Sums[i].IsZero() && !t.fixed[i].AddChecked(g.Sums[i]) {
				t.addDec(i, g.Sums[i].Scaled(fixedScale))
			}
			conv[i] = g.Sums[i]
		}
		t.addCurrencyFixed(g.Currency, &g.Original, &conv)
		return
	}
	m, rate, err := a.fixedRate(g.Currency, g.Day, g.Period)
	if err != nil {
		if a.err == nil {
			a.err = err // checked per key already: cannot happen
		}
		return
	}
	// conv: the five amounts converted in integers, while they all are.
	var orig, conv [5]money.Sum
	allFixed := m != 0
	for i := 0; i < 5; i++ {
		if g.Sums[i].IsZero() {
			continue
		}
		v, ok := g.Sums[i].Int64()
		if ok && m != 0 {
			orig[i], conv[i] = g.Sums[i], money.Product(v, m)
			if t.fixed[i].AddChecked(conv[i]) {
				continue
			}
		} else {
			allFixed = false
		}
		t.addDec(i, g.Sums[i].Decimal().Mul(rate))
	}
	if g.Currency == a.ag.Currency {
		return
	}
	if allFixed {
		t.addCurrencyFixed(g.Currency, &orig, &conv)
		return
	}
	var dorig, dconv [5]decimal.Decimal
	for i := 0; i < 5; i++ {
		dorig[i] = g.Sums[i].Decimal()
		dconv[i] = dorig[i].Mul(rate)
	}
	t.addCurrency(g.Currency, dorig, dconv)
}

type fxKey struct {
	cur string
	day time.Time
	p   period.Period
}

type fxRate struct {
	m    int64 // rate × 10^rateScale, or 0 when it does not fit
	rate decimal.Decimal
	err  error
}

// dailyRate is the reader's Aggregator.Rate: the rate of cur on day as an
// integer (rate × 10^rateScale, 0 when it has more decimals). The reader
// calls it from its workers.
func (a *aggregate) dailyRate(cur string, day time.Time, p period.Period) (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, _, err := a.fixedRate(cur, day, p)
	return m, err
}

// fixedRate returns the rate of cur for a key, as a decimal and scaled to
// an integer.
func (a *aggregate) fixedRate(cur string, day time.Time, p period.Period) (int64, decimal.Decimal, error) {
	if cur == a.ag.Currency {
		return pow10(rateScale), decimal.NewFromInt(1), nil
	}
	k := fxKey{cur, day, p}
	if r, ok := a.rateCache[k]; ok {
		return r.m, r.rate, r.err
	}
	rate, err := a.rates.Rate(cur, day, p)
	r := fxRate{rate: rate, err: err}
	if scaled := rate.Shift(rateScale); err == nil && scaled.IsInteger() && scaled.Abs().LessThan(decimal.NewFromInt(1<<62)) {
		r.m = scaled.IntPart()
	}
	if a.rateCache == nil {
		a.rateCache = map[fxKey]fxRate{}
	}
	a.rateCache[k] = r
	return r.m, r.rate, r.err
}

func pow10(n int) int64 {
	v := int64(1)
	for ; n > 0; n-- {
		v *= 10
	}
	return v
}

// period returns the product sums of a host's period.
func (a *aggregate) period(host string, p period.Period) *productSums {
	m := a.byHP[hp{host, p}]
	if m == nil {
		m = &productSums{}
		a.byHP[hp{host, p}] = m
	}
	return m
}

// product returns the full sums of a host's product in a period, to add
// a key's rows read one by one to (productSums.addWide).
func (a *aggregate) product(host string, p period.Period, product string) *sums {
	k := wideKey{hp{host, p}, product}
	if s := a.wide[k]; s != nil {
		return s
	}
	if a.wide == nil {
		a.wide = map[wideKey]*sums{}
	}
	s := a.period(host, p).addWide(a.names.id(product))
	a.wide[k] = s
	return s
}

// wideKey names a host's product in a period.
type wideKey struct {
	hp
	product string
}

// convert adds s, in currency cur on day, to the product's sums in the
// settlement currency, unrounded (SPEC 5 step 1).
func (a *aggregate) convert(host string, p period.Period, product, cur string, day time.Time, s *rowSums) {
	t := a.product(host, p, product)
	t.rows += s.rows
	t.addDec(5, s.fig[5])
	if cur == a.ag.Currency {
		for i := 0; i < 5; i++ {
			t.addDec(i, s.fig[i])
		}
		return
	}
	rate, err := a.rates.Rate(cur, day, p)
	if err != nil {
		if a.err == nil {
			a.err = err // checked per row already: cannot happen
		}
		return
	}
	var orig, conv [5]decimal.Decimal
	for i := range orig {
		orig[i] = s.fig[i]
		conv[i] = orig[i].Mul(rate)
		t.addDec(i, conv[i])
	}
	t.addCurrency(cur, orig, conv)
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
	rates := c.rates

	agg := map[aggKey]*rowSums{}
	res := &Result{Agreement: ag}
	if rates != nil {
		res.FX = &FXSource{Path: rates.Path(), SHA256: rates.SHA256(), Method: rates.Method()}
	}
	keep := &aggregate{ag: ag, rates: rates, sums: agg, byHP: map[hp]*productSums{}}
	bad := badRows()
	if err := samePath(opts.Files, files); err != nil {
		return nil, err
	}
	var dups duplicates
	for _, path := range files {
		in, err := c.read(path, opts, bad, keep)
		if err != nil {
			return nil, err
		}
		if err := dups.seen(in); err != nil {
			return nil, err
		}
		res.Inputs = append(res.Inputs, in)
	}
	if bad.Err() != nil {
		return nil, &BadRowsError{Limited: bad, Inputs: res.Inputs}
	}

	// Requested periods, and the reports that seem missing in them.
	periods := opts.Periods
	if len(periods) == 0 {
		if periods, err = c.defaultPeriods(opts); err != nil {
			return nil, err
		}
	}
	for _, msg := range c.missing(res.Inputs, periods) {
		res.Warnings = append(res.Warnings, msg)
		warn(msg)
	}
	if len(periods) == 0 {
		res.Periods = periods
		return res, nil
	}

	// Convert the rows summed one by one, and group everything by host
	// and period, then product.
	for k, s := range agg {
		keep.convert(k.host, k.period, k.product, k.currency, s.day, s)
	}
	if keep.err != nil {
		return nil, keep.err
	}
	replay(res, c, keep, periods, warn)
	if err := checkDates(res); err != nil {
		return nil, err
	}
	return res, nil
}
