// Decoding of a terms version's `rates` rules: products, rate, tiers,
// per-unit prices.

package agreement

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/glob"
)

// rules decodes `rates` and checks that rule names are unique.
func (d *decoder) rules(n *yaml.Node) []*Rule {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.errorf(n, "rates must be a non-empty list")
		return nil
	}
	var rules []*Rule
	names := map[string]*yaml.Node{}
	for i, c := range n.Content {
		r, nameNode := d.rule(c, i)
		if r == nil {
			continue
		}
		if f, dup := names[r.Name]; dup {
			d.errorf(nameNode, "duplicate rule name %q (first at line %d)", r.Name, f.Line)
		} else {
			names[r.Name] = nameNode
		}
		rules = append(rules, r)
	}
	return rules
}

// rule decodes the i-th (0-based) entry of `rates`; it also returns the
// node that names the rule (its name, else the rule itself).
func (d *decoder) rule(n *yaml.Node, i int) (*Rule, *yaml.Node) {
	o, ok := d.object(n, "each entry of rates", "rule", ruleKeys, nil)
	if !ok {
		return nil, nil
	}
	r := &Rule{Name: fmt.Sprintf("rule %d", i+1), Index: i, Products: []string{"*"}}
	nameNode := n
	if x := o.get("name"); x != nil {
		if s, ok := d.text(x, "name"); ok {
			r.Name, nameNode = s, x
		}
	}
	if x := o.get("products"); x != nil {
		items, ok := d.list(x, "products")
		if ok && len(items) == 0 {
			d.errorf(x, "products must not be empty")
		}
		var globs []string
		for _, it := range items {
			g, ok := d.text(it, "product glob")
			if !ok {
				continue
			}
			g = strings.ToLower(g)
			if _, err := glob.Compile(g); err != nil {
				var ge *glob.Error
				errors.As(err, &ge)
				d.errorf(it, "invalid product glob %q: %s", it.Value, ge.Msg)
				continue
			}
			globs = append(globs, g)
		}
		if len(globs) > 0 {
			r.Products = globs
		}
	}
	if x := o.get("de_minimis"); x != nil {
		if v, ok := d.money(x, "de_minimis"); ok {
			r.DeMinimis = &v
		}
	}

	// Exactly one of rate, tiers, per_unit; each present one is still
	// decoded so that its own problems are reported too.
	var shapes []*yaml.Node
	for _, k := range ruleShapes {
		if kn := o.key(k); kn != nil {
			shapes = append(shapes, kn)
		}
	}
	sort.Slice(shapes, func(i, j int) bool { return before(shapes[i], shapes[j]) })
	switch len(shapes) {
	case 0:
		d.errorf(n, "rule %q must have exactly one of rate, tiers, per_unit (it has none)", r.Name)
	case 1:
	default:
		names := make([]string, len(shapes))
		for i, s := range shapes {
			names[i] = s.Value
		}
		d.errorf(shapes[1], "rule %q must have exactly one of rate, tiers, per_unit (it has %s)", r.Name, andList(names))
	}
	if x := o.get("rate"); x != nil {
		if v, ok := d.rate(x, "rate"); ok {
			r.Rate = &v
		}
	}
	if x := o.get("tiers"); x != nil {
		r.Tiers = d.tiers(x)
	}
	if x := o.get("per_unit"); x != nil {
		r.PerUnit = d.perUnit(x)
	}
	return r, nameNode
}

// before orders nodes by position.
func before(a, b *yaml.Node) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Column < b.Column
}

// andList joins words as "a and b" or "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// tiers decodes `tiers`.
func (d *decoder) tiers(n *yaml.Node) *Tiers {
	o, ok := d.object(n, "tiers", "tiers", tiersKeys, []string{"bands"})
	if !ok {
		return nil
	}
	t := &Tiers{Mode: Graduated, Window: WindowPeriod, Scope: ScopeRule}
	if x := o.get("mode"); x != nil {
		if s, ok := d.enum(x, "mode", tierModes); ok {
			t.Mode = s
		}
	}
	if x := o.get("window"); x != nil {
		if s, ok := d.enum(x, "window", tierWindows); ok {
			t.Window = s
			if t.Mode == Volume && s != WindowPeriod {
				d.errorf(x, "window %q is not allowed with mode volume (volume tiers use window period)", s)
			}
		}
	}
	if x := o.get("scope"); x != nil {
		if s, ok := d.enum(x, "scope", tierScopes); ok {
			t.Scope = s
		}
	}
	x := o.get("bands")
	if x == nil {
		return t
	}
	if x.Kind != yaml.SequenceNode || len(x.Content) == 0 {
		d.errorf(x, "bands must be a non-empty list")
		return t
	}
	var prev *yaml.Node // the previous valid up_to
	var prevValue decimal.Decimal
	for j, c := range x.Content {
		bo, ok := d.object(c, "each entry of bands", "band", bandKeys, []string{"rate"})
		if !ok {
			continue
		}
		var b Band
		if y := bo.get("rate"); y != nil {
			b.Rate, _ = d.rate(y, "rate")
		}
		last := j == len(x.Content)-1
		switch u := bo.get("up_to"); {
		case u != nil && last:
			d.errorf(bo.key("up_to"), "the last band must not have up_to")
		case u != nil:
			if v, ok := d.money(u, "up_to"); ok {
				if prev != nil && !v.GreaterThan(prevValue) {
					d.errorf(u, "up_to %s must be greater than the previous band's up_to %s", u.Value, prev.Value)
				}
				b.UpTo = &v
				prev, prevValue = u, v
			}
		case !last:
			d.errorf(c, "only the last band may omit up_to")
		}
		t.Bands = append(t.Bands, b)
	}
	return t
}

// perUnit decodes `per_unit`.
func (d *decoder) perUnit(n *yaml.Node) *PerUnit {
	o, ok := d.object(n, "per_unit", "per_unit", perUnitKeys, []string{"price"})
	if !ok {
		return nil
	}
	p := &PerUnit{Per: decimal.NewFromInt(1)}
	if x := o.get("price"); x != nil {
		p.Price, _ = d.amount(x, "price")
	}
	if x := o.get("per"); x != nil {
		if v, ok := d.amount(x, "per"); ok {
			if v.IsZero() {
				d.errorf(x, "per must be greater than 0")
			} else {
				p.Per = v
			}
		}
	}
	return p
}
