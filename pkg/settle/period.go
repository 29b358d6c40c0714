package settle

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// hostRun carries a host's state across all its versions: only the
// carry-forward passes from one version to the next (SPEC 5).
type hostRun struct {
	ag      *agreement.Agreement
	host    *agreement.Host
	carried decimal.Decimal
	lean    bool          // Options.Lean: flat-rate periods settle in integers (leanPeriod)
	names   *productNames // of the product sums, sorted
}

// versionState is what a terms version accumulates period after period.
type versionState struct {
	terms     *agreement.Terms
	cum       map[scopeKey]decimal.Decimal // tier windows: basis before this period
	yearShare map[int]decimal.Decimal      // shares per calendar year (minimum per year)
	capSum    map[int]decimal.Decimal      // Σ(share+topup) per cap window
	capRed    map[int]decimal.Decimal      // reductions per cap window
	advance   decimal.Decimal              // advance remaining
}

type scopeKey struct {
	rule    int
	product string
	window  int // calendar year for window year; 0 otherwise
}

func newVersionState(t *agreement.Terms) *versionState {
	vs := &versionState{
		terms:     t,
		cum:       map[scopeKey]decimal.Decimal{},
		yearShare: map[int]decimal.Decimal{},
		capSum:    map[int]decimal.Decimal{},
		capRed:    map[int]decimal.Decimal{},
	}
	if t.Advance != nil {
		vs.advance = t.Advance.Amount
	}
	return vs
}

// scopeAcc gathers a tier or de minimis scope's products in one period.
type scopeAcc struct {
	rule     *agreement.Rule
	product  string
	basis    decimal.Decimal
	units    decimal.Decimal
	products []*Product
}

// period settles one period p of version vs for the host (SPEC 5 steps 2-11).
func (hr *hostRun) period(vs *versionState, p period.Period, rows *productSums) *Settlement {
	r := hr.ag.Rounding
	t := vs.terms
	st := &Settlement{Host: hr.host, Period: p, Terms: t}
	products := rows.products(hr.names)
	if !hr.lean || !leanPeriod(st, r, products) {
		addProducts(st, r, products) // steps 2-3
		vs.addLines(st, r, p)        // step 4
		// Step 5.
		for _, l := range st.Lines {
			st.Share = st.Share.Add(l.Share)
		}
	}
	st.Currencies = currencies(r, t, products)
	year := p.Year
	vs.yearShare[year] = vs.yearShare[year].Add(st.Share)

	vs.minimum(st, r, p) // step 6
	vs.cap(st, p)        // step 7

	// Step 8-9: due and advance.
	due := st.Share.Add(st.MinimumTopup).Sub(st.CapReduction)
	st.Trace.Due = due
	st.Trace.AdvanceBefore = vs.advance
	st.AdvanceRecouped = decimal.Min(vs.advance, decimal.Max(decimal.Zero, due))
	vs.advance = vs.advance.Sub(st.AdvanceRecouped)
	st.AdvanceRemaining = vs.advance

	// Step 10-11: carry-forward, payable, due date.
	st.CarriedIn = hr.carried
	owed := due.Sub(st.AdvanceRecouped).Add(st.CarriedIn)
	st.Trace.Owed = owed
	if owed.LessThan(t.Payout.Threshold) || owed.Sign() < 0 {
		st.CarriedOut = owed
		st.Trace.BelowThreshold = true
	} else {
		st.Payable = owed
	}
	hr.carried = st.CarriedOut
	if st.Payable.Sign() > 0 {
		d := p.End().AddDate(0, 0, t.Payout.DueDays)
		st.DueDate = &d
	}
	return st
}

// addProducts is steps 2-3: each product's figures, rounded, and their
// basis, summed into st; products in the order of their rules. The sums
// run in int64 units of the rounding's scale while every product's
// figures are integers and nothing overflows; else in decimals.
func addProducts(st *Settlement, r money.Rounding, products []named) {
	t := st.Terms
	st.Products = make([]Product, 0, len(products))
	deduct := deductIndexes(t)
	var acc periodSums
	for _, p := range products {
		pr, n, ok := roundAll(r, p.sums)
		pr.Product = p.name
		pr.Rule = t.Rule(p.name)
		b, bok := n[figGross], ok
		for _, i := range deduct {
			b, bok = subChecked(b, n[i], bok)
		}
		if bok {
			pr.Basis = decimal.New(b, -r.Scale)
		} else {
			pr.Basis = pr.Gross
			for _, d := range t.Deduct {
				pr.Basis = pr.Basis.Sub(pr.Figure(d))
			}
		}
		acc.add(st, r, &pr, n, b, bok)
		st.Products = append(st.Products, pr)
	}
	acc.flush(st, r)
	sort.SliceStable(st.Products, func(i, j int) bool {
		return st.Products[i].Rule.Index < st.Products[j].Rule.Index
	})
}

// addLines is step 4: the lines of each rule's scope (a product, or the
// rule's products together for rule-scoped tiers), sorted by rule,
// product and band; tiered scopes move their window's cumulative basis.
func (vs *versionState) addLines(st *Settlement, r money.Rounding, p period.Period) {
	var scopes []*scopeAcc
	byScope := map[scopeKey]*scopeAcc{}
	// A rule with a rate or a price makes one line and one scope per
	// product: room for those, so the slices are not grown by doubling.
	st.Lines = make([]Line, 0, len(st.Products))
	st.Trace.Scopes = make([]Scope, 0, len(st.Products))
	for i := range st.Products {
		pr := &st.Products[i]
		rule := pr.Rule
		key := scopeKey{rule: rule.Index, product: pr.Product}
		if rule.Tiers != nil && rule.Tiers.Scope == agreement.ScopeRule {
			key.product = "*"
		}
		sc := byScope[key]
		if sc == nil {
			sc = &scopeAcc{rule: rule, product: key.product}
			byScope[key] = sc
			scopes = append(scopes, sc)
		}
		sc.basis = sc.basis.Add(pr.Basis)
		sc.units = sc.units.Add(pr.Units)
		sc.products = append(sc.products, pr)
	}
	for _, sc := range scopes {
		rule := sc.rule
		zeroed := rule.DeMinimis != nil && sc.basis.LessThan(*rule.DeMinimis)
		trace := Scope{Rule: rule, Product: sc.product, Basis: sc.basis, DeMinimis: zeroed}
		var lines []Line
		switch {
		case rule.Rate != nil:
			pr := sc.products[0]
			lines = append(lines, Line{Rule: rule, Product: pr.Product, Basis: pr.Basis, Units: pr.Units,
				Rate: rule.Rate, Share: r.Round(pr.Basis.Mul(rule.Rate.Value))})
		case rule.PerUnit != nil:
			pr := sc.products[0]
			price := rule.PerUnit.Price
			lines = append(lines, Line{Rule: rule, Product: pr.Product, Basis: pr.Basis, Units: pr.Units,
				Price: &price, Share: r.Round(money.Div(pr.Units.Mul(price), rule.PerUnit.Per))})
		default:
			key := scopeKey{rule: rule.Index, product: sc.product, window: vs.window(rule.Tiers.Window, p)}
			before := vs.cum[key]
			trace.Before = before
			lines = tierLines(r, rule, sc.product, before, sc.basis, sc.units)
			if rule.Tiers.Window != agreement.WindowPeriod {
				vs.cum[key] = before.Add(sc.basis)
			}
		}
		if zeroed {
			for i := range lines {
				lines[i].Share = decimal.Zero
			}
		}
		st.Trace.Scopes = append(st.Trace.Scopes, trace)
		st.Lines = append(st.Lines, lines...)
	}
	sort.SliceStable(st.Lines, func(i, j int) bool {
		a, b := st.Lines[i], st.Lines[j]
		if a.Rule.Index != b.Rule.Index {
			return a.Rule.Index < b.Rule.Index
		}
		if a.Product != b.Product {
			return a.Product < b.Product
		}
		return a.Band < b.Band
	})
}

// minimum is step 6: the top-up to the period's minimum, or to the
// year's (prorated to its periods under the terms) in its last period.
func (vs *versionState) minimum(st *Settlement, r money.Rounding, p period.Period) {
	t, year := st.Terms, p.Year
	if m := t.Minimum; m != nil {
		switch m.Per {
		case agreement.PerPeriod:
			req := m.Amount
			st.Trace.MinimumRequired = &req
			st.Trace.MinimumShares = st.Share
			st.MinimumTopup = decimal.Max(decimal.Zero, m.Amount.Sub(st.Share))
		case agreement.PerYear:
			if isLastOfYear(t, p) {
				n := periodsInYear(t, p)
				req := r.Round(money.Div(m.Amount.Mul(decimal.NewFromInt(int64(n))), decimal.NewFromInt(int64(p.Kind.PerYear()))))
				st.Trace.MinimumRequired = &req
				st.Trace.MinimumShares = vs.yearShare[year]
				st.Trace.MinimumPeriods = n
				st.MinimumTopup = decimal.Max(decimal.Zero, req.Sub(vs.yearShare[year]))
			}
		}
	}
}

// cap is step 7: the reduction that keeps the window's shares and top-ups
// within the cap.
func (vs *versionState) cap(st *Settlement, p period.Period) {
	t, year := st.Terms, p.Year
	if c := t.Cap; c != nil {
		w := 0
		switch c.Per {
		case agreement.PerPeriod:
			w = p.Year*100 + p.N + 1 // one window per period
		case agreement.PerYear:
			w = year
		}
		vs.capSum[w] = vs.capSum[w].Add(st.Share).Add(st.MinimumTopup)
		earlier := vs.capRed[w]
		st.Trace.CapWindowSum = vs.capSum[w]
		st.Trace.CapEarlier = earlier
		st.CapReduction = decimal.Max(decimal.Zero, vs.capSum[w].Sub(c.Amount).Sub(earlier))
		vs.capRed[w] = earlier.Add(st.CapReduction)
	}
}

// Figure returns the product's figure named by a deduct entry: refunds,
// taxes, fees or credits.
func (pr *Product) Figure(name string) decimal.Decimal {
	switch name {
	case "refunds":
		return pr.Refunds
	case "taxes":
		return pr.Taxes
	case "fees":
		return pr.Fees
	case "credits":
		return pr.Credits
	}
	return decimal.Zero
}

// window numbers a tier window: the calendar year for `year`, 0 for the
// version's lifetime (and for `period`, whose window holds nothing before).
func (vs *versionState) window(w string, p period.Period) int {
	if w == agreement.WindowYear {
		return p.Year
	}
	return 0
}

// lastOf returns the version's last period in p's calendar year.
func lastOf(t *agreement.Terms, p period.Period) period.Period {
	end := period.Of(period.Period{Kind: period.Year, Year: p.Year}.End(), p.Kind)
	if !t.To.IsZero() && t.To.Before(end) {
		return t.To
	}
	return end
}

// isLastOfYear reports whether p is the version's last period in its year.
func isLastOfYear(t *agreement.Terms, p period.Period) bool {
	return lastOf(t, p) == p
}

// periodsInYear counts the periods of p's calendar year the version covers.
func periodsInYear(t *agreement.Terms, p period.Period) int {
	start := period.Of(period.Period{Kind: period.Year, Year: p.Year}.Start(), p.Kind)
	if t.From.After(start) {
		start = t.From
	}
	n := 0
	for q, end := start, lastOf(t, p); !q.After(end); q = q.Next() {
		n++
	}
	return n
}

// tierLines splits a scope's basis B over the bands from position C
// (graduated), or prices all of B at one band (volume).
func tierLines(r money.Rounding, rule *agreement.Rule, product string, c, b, units decimal.Decimal) []Line {
	tiers := rule.Tiers
	mk := func(k int, portion decimal.Decimal) Line {
		rate := tiers.Bands[k].Rate
		return Line{Rule: rule, Product: product, Band: k + 1, Basis: portion, Units: units,
			Rate: &rate, Share: r.Round(portion.Mul(rate.Value))}
	}
	if tiers.Mode == agreement.Volume {
		k := len(tiers.Bands) - 1
		for i, band := range tiers.Bands {
			if band.UpTo != nil && b.LessThanOrEqual(*band.UpTo) {
				k = i
				break
			}
		}
		return []Line{mk(k, b)}
	}
	lo, hi := c, c.Add(b)
	if b.Sign() < 0 {
		lo, hi = hi, lo
	}
	var lines []Line
	for k, band := range tiers.Bands {
		// Band k covers (up_to(k-1), up_to(k)]; the first also all below 0.
		start, end := lo, hi
		if k > 0 {
			start = decimal.Max(start, *tiers.Bands[k-1].UpTo)
		}
		if band.UpTo != nil {
			end = decimal.Min(end, *band.UpTo)
		}
		if !end.GreaterThan(start) {
			continue
		}
		portion := end.Sub(start)
		if b.Sign() < 0 {
			portion = portion.Neg()
		}
		lines = append(lines, mk(k, portion))
	}
	if len(lines) == 0 {
		// B = 0: one empty line at the band the next revenue would enter.
		k := len(tiers.Bands) - 1
		for i, band := range tiers.Bands {
			if band.UpTo != nil && c.LessThan(*band.UpTo) {
				k = i
				break
			}
		}
		lines = append(lines, mk(k, decimal.Zero))
	}
	return lines
}
