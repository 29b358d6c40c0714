// Decoding of a host's `terms` versions: dates, deductions, minimum, cap,
// advance, payout.

package agreement

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/period"
)

// version is a terms version being decoded, with what the checks across
// versions need.
type version struct {
	t        *Terms
	node     *yaml.Node // the version's mapping
	fromNode *yaml.Node
	from, to time.Time
	hasTo    bool
	ok       bool // from and to are valid dates on period boundaries, in order
}

// span describes the version's dates for messages.
func (v *version) span() string {
	if !v.hasTo {
		return fmt.Sprintf("from %s, open-ended", period.FormatDate(v.from))
	}
	return fmt.Sprintf("from %s to %s", period.FormatDate(v.from), period.FormatDate(v.to))
}

// terms decodes a host's `terms`, sorts the versions by from and checks
// that they do not overlap.
func (d *decoder) terms(n *yaml.Node) []*Terms {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.errorf(n, "terms must be a non-empty list")
		return nil
	}
	var vs []*version
	for _, c := range n.Content {
		if v := d.version(c); v != nil {
			vs = append(vs, v)
		}
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].from.Before(vs[j].from) })
	// reach is the earlier version that runs furthest: a version overlaps
	// some earlier one exactly when it overlaps that one.
	var reach *version
	for _, v := range vs {
		if !v.ok {
			continue
		}
		if reach != nil && (!reach.hasTo || !reach.to.Before(v.from)) {
			d.errorf(v.fromNode, "terms from %s overlap the terms at line %d (%s)",
				period.FormatDate(v.from), reach.node.Line, reach.span())
		}
		if reach == nil || (reach.hasTo && (!v.hasTo || v.to.After(reach.to))) {
			reach = v
		}
	}
	terms := make([]*Terms, len(vs))
	for i, v := range vs {
		terms[i] = v.t
	}
	return terms
}

// version decodes one entry of `terms`.
func (d *decoder) version(n *yaml.Node) *version {
	o, ok := d.object(n, "each entry of terms", "terms", termsKeys, []string{"from", "rates"})
	if !ok {
		return nil
	}
	t := &Terms{Payout: Payout{Threshold: decimal.Zero, DueDays: defaultDueDays}}
	v := &version{t: t, node: n}
	v.ok = d.window(o, v)
	if x := o.get("deduct"); x != nil {
		t.Deduct = d.deduct(x)
	}
	if x := o.get("rates"); x != nil {
		t.Rules = d.rules(x)
	}
	var minAmount, capAmount *yaml.Node
	if x := o.get("minimum"); x != nil {
		t.Minimum, minAmount = d.minimum(x)
	}
	if x := o.get("cap"); x != nil {
		t.Cap, capAmount = d.cap(x)
	}
	if t.Minimum != nil && t.Cap != nil && minAmount != nil && capAmount != nil &&
		t.Minimum.Per == t.Cap.Per && t.Minimum.Amount.GreaterThan(t.Cap.Amount) {
		d.errorf(minAmount, "minimum amount %s is above the cap amount %s (both per %s)",
			minAmount.Value, capAmount.Value, t.Cap.Per)
	}
	if x := o.get("advance"); x != nil {
		t.Advance = d.advance(x)
	}
	if x := o.get("payout"); x != nil {
		d.payout(x, &t.Payout)
	}
	if x := o.get("reports"); x != nil {
		if s, ok := d.enum(x, "reports", reportKinds); ok {
			t.Reports = s
		}
	}
	return v
}

// window decodes a version's from and to into v and reports whether they
// are valid dates on period boundaries, in order.
func (d *decoder) window(o *object, v *version) bool {
	t := v.t
	fromOK, toOK := false, true
	if x := o.get("from"); x != nil {
		v.fromNode = x
		if day, ok := d.date(x, "from"); ok {
			v.from, fromOK = day, true
			if d.kind != 0 {
				t.From = period.Of(day, d.kind)
				if !t.From.Start().Equal(day) {
					d.errorf(x, "from %s is not the first day of a %s", period.FormatDate(day), d.kind)
					fromOK = false
				}
			}
		}
	}
	if x := o.get("to"); x != nil {
		toOK = false
		if day, ok := d.date(x, "to"); ok {
			v.to, v.hasTo, toOK = day, true, true
			if d.kind != 0 {
				t.To = period.Of(day, d.kind)
				if !t.To.End().Equal(day) {
					d.errorf(x, "to %s is not the last day of a %s", period.FormatDate(day), d.kind)
					toOK = false
				}
			}
			if fromOK && toOK && day.Before(v.from) {
				d.errorf(x, "to %s is before from %s", period.FormatDate(day), period.FormatDate(v.from))
				toOK = false
			}
		}
	}
	return fromOK && toOK
}

// deduct decodes `deduct`: known deductibles, each once.
func (d *decoder) deduct(x *yaml.Node) []string {
	var out []string
	items, _ := d.list(x, "deduct")
	seen := map[string]*yaml.Node{}
	for _, it := range items {
		s, ok := d.enum(it, "deduct", Deductibles)
		if !ok {
			continue
		}
		if f, dup := seen[s]; dup {
			d.errorf(it, "duplicate %q in deduct (first at line %d)", s, f.Line)
			continue
		}
		seen[s] = it
		out = append(out, s)
	}
	return out
}

// minimum decodes `minimum`; it also returns the amount's node (nil when
// the amount is missing or wrong).
func (d *decoder) minimum(n *yaml.Node) (*Minimum, *yaml.Node) {
	o, ok := d.object(n, "minimum", "minimum", minimumKeys, []string{"amount", "per"})
	if !ok {
		return nil, nil
	}
	m := &Minimum{}
	amountNode := o.get("amount")
	if amountNode != nil {
		var ok bool
		if m.Amount, ok = d.money(amountNode, "amount"); !ok {
			amountNode = nil
		}
	}
	if x := o.get("per"); x != nil {
		m.Per, _ = d.enum(x, "per", minimumPers)
	}
	return m, amountNode
}

// cap decodes `cap`; it also returns the amount's node (nil when the
// amount is missing or wrong).
func (d *decoder) cap(n *yaml.Node) (*Cap, *yaml.Node) {
	o, ok := d.object(n, "cap", "cap", capKeys, []string{"amount", "per"})
	if !ok {
		return nil, nil
	}
	c := &Cap{}
	amountNode := o.get("amount")
	if amountNode != nil {
		var ok bool
		if c.Amount, ok = d.money(amountNode, "amount"); !ok {
			amountNode = nil
		}
	}
	if x := o.get("per"); x != nil {
		c.Per, _ = d.enum(x, "per", capPers)
	}
	return c, amountNode
}

// advance decodes `advance`: the amount is required, the date received is
// optional (the computation does not use it; statements may show it).
func (d *decoder) advance(n *yaml.Node) *Advance {
	o, ok := d.object(n, "advance", "advance", advanceKeys, []string{"amount"})
	if !ok {
		return nil
	}
	a := &Advance{}
	if x := o.get("amount"); x != nil {
		a.Amount, _ = d.money(x, "amount")
	}
	if x := o.get("received"); x != nil {
		a.Received, _ = d.date(x, "received")
	}
	return a
}

// payout decodes `payout` into p, which holds the defaults.
func (d *decoder) payout(n *yaml.Node, p *Payout) {
	o, ok := d.object(n, "payout", "payout", payoutKeys, nil)
	if !ok {
		return
	}
	if x := o.get("threshold"); x != nil {
		if v, ok := d.money(x, "threshold"); ok {
			p.Threshold = v
		}
	}
	if x := o.get("due_days"); x != nil {
		if v, ok := d.count(x, "due_days"); ok {
			p.DueDays = v
		}
	}
}
