package agreement

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/dateformat"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/glob"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// The keys each mapping of the agreement file may hold, in documentation
// order (the order "did you mean" prefers on a tie).
var (
	topKeys      = []string{"schema", "name", "licensor", "currency", "period", "rounding", "fx", "hosts", "formats"}
	roundingKeys = []string{"mode", "scale"}
	fxKeys       = []string{"rates", "method"}
	hostKeys     = []string{"name", "aliases", "terms"}
	termsKeys    = []string{"from", "to", "deduct", "rates", "minimum", "cap", "advance", "payout", "reports"}
	ruleKeys     = []string{"name", "products", "de_minimis", "rate", "tiers", "per_unit"}
	tiersKeys    = []string{"mode", "window", "scope", "bands"}
	bandKeys     = []string{"up_to", "rate"}
	perUnitKeys  = []string{"price", "per"}
	minimumKeys  = []string{"amount", "per"}
	capKeys      = []string{"amount", "per"}
	advanceKeys  = []string{"amount", "received"}
	payoutKeys   = []string{"threshold", "due_days"}
	formatKeys   = []string{"host", "delimiter", "columns", "date_format", "decimal", "negate", "products", "amount", "kind", "kinds", "skip_lines", "ignore_prefix", "ignore_columns"}
)

// Allowed values of the enumerated settings.
var (
	periodKinds   = []string{"month", "quarter", "year"}
	fxMethods     = []string{fx.Daily, fx.PeriodEnd, fx.PeriodAverage}
	tierModes     = []string{Graduated, Volume}
	tierWindows   = []string{WindowPeriod, WindowYear, WindowLifetime}
	tierScopes    = []string{ScopeRule, ScopeProduct}
	minimumPers   = []string{PerPeriod, PerYear}
	capPers       = []string{PerPeriod, PerYear, PerLifetime}
	delimiters    = []string{",", ";", "\t", "|"}
	decimalSeps   = []string{".", ","}
	negatable     = []string{"refunds", "taxes", "fees", "credits", "gross", "units"}
	kindMeanings  = []string{"gross", "refunds", "taxes", "fees", "credits", "units", "ignore"}
	ruleShapes    = []string{"rate", "tiers", "per_unit"}
	reportKinds   = []string{ReportsExpected, ReportsNoneExpected}
	roundingModes = func() []string {
		s := make([]string, len(money.Modes))
		for i, m := range money.Modes {
			s[i] = string(m)
		}
		return s
	}()
)

// hostIDPattern is the form of a host id: lowercase letters, digits, '-'.
var hostIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// maxScale bounds rounding.scale: finer than the precision divisions are
// carried to makes no sense, and a huge scale would make every formatted
// amount huge.
const maxScale = money.DivPlaces

// defaultDueDays is payout.due_days when it is not given (SPEC 2).
const defaultDueDays = 30

// agreement decodes the top-level mapping.
func (d *decoder) agreement(root *yaml.Node) *Agreement {
	o, ok := d.object(root, "the agreement", "", topKeys, []string{"schema", "currency", "period", "hosts"})
	if !ok {
		return nil
	}
	a := &Agreement{}
	if n := o.get("schema"); n != nil {
		if s, ok := d.str(n, "schema"); ok && s != SchemaV1 {
			d.errorf(n, "schema must be %q, got %q", SchemaV1, s)
		}
	}
	if n := o.get("name"); n != nil {
		a.Name, _ = d.str(n, "name")
	}
	if n := o.get("licensor"); n != nil {
		a.Licensor, _ = d.str(n, "licensor")
	}
	if n := o.get("currency"); n != nil {
		if s, ok := d.str(n, "currency"); ok {
			if money.ValidCurrency(s) {
				a.Currency = s
			} else {
				hint := ""
				if u := strings.ToUpper(strings.TrimSpace(s)); money.ValidCurrency(u) {
					hint = fmt.Sprintf("did you mean %q?", u)
				}
				d.hintf(n, hint, "currency %q is not an ISO 4217 currency code", s)
			}
		}
	}
	if n := o.get("period"); n != nil {
		if s, ok := d.enum(n, "period", periodKinds); ok {
			a.Period, _ = period.ParseKind(s)
			d.kind = a.Period
		}
	}
	a.Rounding = d.rounding(o.get("rounding"), a.Currency)
	d.scale = a.Rounding.Scale
	if _, err := money.MinorUnits(a.Currency); err != nil && !hasKey(o.get("rounding"), "scale") {
		d.scale = -1 // unknown: the currency is already reported
	}
	if n := o.get("fx"); n != nil {
		a.FX = d.fx(n)
	}
	if n := o.get("hosts"); n != nil {
		a.Hosts = d.hosts(n)
	}
	if n := o.get("formats"); n != nil {
		a.Formats = d.formats(n, a.Hosts)
	}
	return a
}

// rounding decodes `rounding`; n may be nil (all defaults): mode half-up,
// scale the currency's minor unit.
func (d *decoder) rounding(n *yaml.Node, currency string) money.Rounding {
	r := money.Rounding{Mode: money.HalfUp}
	if currency != "" {
		r.Scale, _ = money.MinorUnits(currency)
	}
	if n == nil {
		return r
	}
	o, ok := d.object(n, "rounding", "rounding", roundingKeys, nil)
	if !ok {
		return r
	}
	if v := o.get("mode"); v != nil {
		if s, ok := d.enum(v, "mode", roundingModes); ok {
			r.Mode = money.Mode(s)
		}
	}
	if v := o.get("scale"); v != nil {
		if k, ok := d.count(v, "scale"); ok {
			if k > maxScale {
				d.errorf(v, "scale %d is more than %d decimal places", k, maxScale)
			} else {
				r.Scale = int32(k)
			}
		}
	}
	return r
}

// fx decodes `fx`. The method defaults to daily, the first and simplest of
// SPEC 2's methods; rates (the file) is required.
func (d *decoder) fx(n *yaml.Node) *FX {
	f := &FX{Method: fx.Daily}
	o, ok := d.object(n, "fx", "fx", fxKeys, []string{"rates"})
	if !ok {
		return f
	}
	if v := o.get("rates"); v != nil {
		f.Rates, _ = d.text(v, "rates")
	}
	if v := o.get("method"); v != nil {
		if s, ok := d.enum(v, "method", fxMethods); ok {
			f.Method = s
		}
	}
	return f
}

// hosts decodes `hosts`, checks that aliases do not collide and returns
// the hosts sorted by id.
func (d *decoder) hosts(n *yaml.Node) []*Host {
	pairs, ok := d.entries(n, "hosts")
	if !ok {
		return nil
	}
	if len(pairs) == 0 {
		d.errorf(n, "hosts must have at least one host")
		return nil
	}
	// Every id first, so that an alias colliding with a later host's id
	// is found; then aliases in file order.
	type owner struct {
		host string
		node *yaml.Node
	}
	taken := map[string]owner{}
	for _, p := range pairs {
		taken[strings.ToLower(p.key.Value)] = owner{p.key.Value, p.key}
	}
	var hosts []*Host
	for _, p := range pairs {
		id := p.key.Value
		if !hostIDPattern.MatchString(id) {
			hint := ""
			if l := strings.ToLower(strings.TrimSpace(id)); hostIDPattern.MatchString(l) {
				hint = fmt.Sprintf("did you mean %q?", l)
			}
			d.hintf(p.key, hint, "host id %q must be lowercase letters, digits and '-'", id)
		}
		h, aliasNodes := d.host(id, p.val)
		for i, al := range h.Aliases {
			k := strings.ToLower(al)
			if o, ok := taken[k]; ok && o.host != id {
				d.errorf(aliasNodes[i], "alias %q of host %q is already used by host %q at line %d", al, id, o.host, o.node.Line)
				continue
			}
			taken[k] = owner{id, aliasNodes[i]}
		}
		hosts = append(hosts, h)
	}
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].ID < hosts[j].ID })
	return hosts
}

// host decodes one host; it also returns the node of each alias.
func (d *decoder) host(id string, n *yaml.Node) (*Host, []*yaml.Node) {
	h := &Host{ID: id}
	what := fmt.Sprintf("host %q", id)
	o, ok := d.object(n, what, what, hostKeys, []string{"terms"})
	if !ok {
		return h, nil
	}
	if v := o.get("name"); v != nil {
		h.Name, _ = d.str(v, "name")
	}
	var aliasNodes []*yaml.Node
	if v := o.get("aliases"); v != nil {
		items, _ := d.list(v, "aliases")
		for _, it := range items {
			if s, ok := d.text(it, "alias"); ok {
				h.Aliases = append(h.Aliases, s)
				aliasNodes = append(aliasNodes, it)
			}
		}
	}
	if v := o.get("terms"); v != nil {
		h.Terms = d.terms(v)
	}
	return h, aliasNodes
}

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
	v.ok = fromOK && toOK
	if x := o.get("deduct"); x != nil {
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
			t.Deduct = append(t.Deduct, s)
		}
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

// formats decodes `formats`; hosts are the agreement's hosts, which a
// format's host must name by id.
func (d *decoder) formats(n *yaml.Node, hosts []*Host) map[string]*Format {
	pairs, ok := d.entries(n, "formats")
	if !ok {
		return nil
	}
	m := make(map[string]*Format, len(pairs))
	for _, p := range pairs {
		name := p.key.Value
		if strings.TrimSpace(name) == "" {
			d.errorf(p.key, "format name must not be empty")
			continue
		}
		if f := d.format(name, p.val, hosts); f != nil {
			m[name] = f
		}
	}
	return m
}

// format decodes one entry of `formats`.
func (d *decoder) format(name string, n *yaml.Node, hosts []*Host) *Format {
	what := fmt.Sprintf("format %q", name)
	o, ok := d.object(n, what, what, formatKeys, nil)
	if !ok {
		return nil
	}
	// Delimiter stays 0 when unset so that a .tsv file defaults to tab.
	f := &Format{Name: name, Decimal: '.'}
	if x := o.get("host"); x != nil {
		if s, ok := d.str(x, "host"); ok {
			f.Host = s
			d.checkFormatHost(x, s, hosts)
		}
	}
	if x := o.get("delimiter"); x != nil {
		if s, ok := d.str(x, "delimiter"); ok {
			if contains(delimiters, s) {
				f.Delimiter, _ = utf8.DecodeRuneInString(s)
			} else {
				d.errorf(x, "delimiter must be one of \",\", \";\", \"\\t\", \"|\", got %q", s)
			}
		}
	}
	columnsOK := false
	if x := o.get("columns"); x != nil {
		before := len(d.probs)
		if pairs, ok := d.entries(x, "columns"); ok {
			f.Columns = make(map[string]string, len(pairs))
			for _, p := range pairs {
				if !contains(Fields, p.key.Value) {
					d.hintf(p.key, didYouMean(p.key.Value, Fields), "unknown field %q in columns (want one of %s)",
						p.key.Value, strings.Join(Fields, ", "))
					continue
				}
				if s, ok := d.text(p.val, "column name"); ok {
					f.Columns[p.key.Value] = s
				}
			}
		}
		columnsOK = len(d.probs) == before
	}
	if x := o.get("date_format"); x != nil {
		if s, ok := d.str(x, "date_format"); ok {
			if why := dateformat.Check(s); why != "" {
				d.errorf(x, "date_format %q %s", s, why)
			} else {
				f.DateFormat = s
			}
		}
	}
	if x := o.get("decimal"); x != nil {
		if s, ok := d.str(x, "decimal"); ok {
			if contains(decimalSeps, s) {
				f.Decimal = s[0]
			} else {
				d.errorf(x, "decimal must be \".\" or \",\", got %q", s)
			}
		}
	}
	if x := o.get("negate"); x != nil {
		items, _ := d.list(x, "negate")
		seen := map[string]*yaml.Node{}
		for _, it := range items {
			s, ok := d.enum(it, "negate", negatable)
			if !ok {
				continue
			}
			if first, dup := seen[s]; dup {
				d.errorf(it, "duplicate %q in negate (first at line %d)", s, first.Line)
				continue
			}
			seen[s] = it
			f.Negate = append(f.Negate, s)
		}
	}
	if x := o.get("products"); x != nil {
		if pairs, ok := d.entries(x, "products"); ok {
			f.Products = make(map[string]string, len(pairs))
			for _, p := range pairs {
				k := strings.TrimSpace(p.key.Value)
				if k == "" {
					d.errorf(p.key, "partner product id must not be empty")
					continue
				}
				if s, ok := d.text(p.val, "product id"); ok {
					f.Products[k] = strings.ToLower(s)
				}
			}
		}
	}
	if x := o.get("amount"); x != nil {
		f.Amount, _ = d.text(x, "amount")
	}
	if x := o.get("kind"); x != nil {
		f.Kind, _ = d.text(x, "kind")
	}
	if x := o.get("kinds"); x != nil {
		if pairs, ok := d.entries(x, "kinds"); ok {
			f.Kinds = make(map[string]string, len(pairs))
			for _, p := range pairs {
				if s, ok := d.enum(p.val, "kind", kindMeanings); ok {
					f.Kinds[p.key.Value] = s
				}
			}
		}
	}
	// Ledger style: amount and kind go together, and kinds says what each
	// kind value means.
	amountKey, kindKey, kindsKey := o.key("amount"), o.key("kind"), o.key("kinds")
	switch {
	case amountKey != nil && kindKey == nil:
		d.errorf(amountKey, "amount needs kind: they go together")
	case kindKey != nil && amountKey == nil:
		d.errorf(kindKey, "kind needs amount: they go together")
	case amountKey != nil && kindKey != nil && kindsKey == nil:
		d.errorf(n, "missing required key \"kinds\" in %s (amount and kind need it)", what)
	}
	if kindsKey != nil && (amountKey == nil || kindKey == nil) {
		d.errorf(kindsKey, "kinds needs amount and kind")
	}
	if x := o.get("skip_lines"); x != nil {
		f.SkipLines, _ = d.count(x, "skip_lines")
	}
	if x := o.get("ignore_prefix"); x != nil {
		f.IgnorePrefix, _ = d.str(x, "ignore_prefix")
	}
	if x := o.get("ignore_columns"); x != nil {
		f.IgnoreColumns = d.ignoreColumns(x, f)
	}
	if x := o.key("columns"); x != nil && columnsOK {
		d.requiredColumns(x, f)
	}
	return f
}

// checkFormatHost reports a format's host that is not a host id.
func (d *decoder) checkFormatHost(n *yaml.Node, s string, hosts []*Host) {
	ids := make([]string, len(hosts))
	for i, h := range hosts {
		if h.ID == s {
			return
		}
		ids[i] = h.ID
	}
	hint := didYouMean(s, ids)
	for _, h := range hosts {
		for _, al := range h.Aliases {
			if strings.EqualFold(al, s) {
				hint = fmt.Sprintf("%q is an alias: use the host id %q", s, h.ID)
			}
		}
	}
	d.hintf(n, hint, "unknown host %q", s)
}

// Value readers: each reports a problem at n and returns ok false when n
// is not a value of its type; name is the key in messages.

// str reads any non-null scalar as text.
func (d *decoder) str(n *yaml.Node, name string) (string, bool) {
	s, ok := scalar(n)
	if !ok {
		d.errorf(n, "%s must be a string", name)
	}
	return s, ok
}

// text reads a string that must not be empty or blank; it is trimmed.
func (d *decoder) text(n *yaml.Node, name string) (string, bool) {
	s, ok := d.str(n, name)
	if !ok {
		return "", false
	}
	s = strings.TrimSpace(s)
	if s == "" {
		d.errorf(n, "%s must not be empty", name)
		return "", false
	}
	return s, true
}

// list returns the items of a list of scalars; items that are not scalars
// are reported and left out.
func (d *decoder) list(n *yaml.Node, name string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of strings", name)
		return nil, false
	}
	var items []*yaml.Node
	for _, c := range n.Content {
		if _, ok := scalar(c); !ok {
			d.errorf(c, "%s must be a list of strings", name)
			continue
		}
		items = append(items, c)
	}
	return items, true
}

// enum reads one of allowed.
func (d *decoder) enum(n *yaml.Node, name string, allowed []string) (string, bool) {
	s, ok := d.str(n, name)
	if !ok {
		return "", false
	}
	if !contains(allowed, s) {
		d.hintf(n, didYouMean(s, allowed), "%s must be one of %s, got %q", name, strings.Join(allowed, ", "), s)
		return "", false
	}
	return s, true
}

// amount reads a non-negative amount from its literal text (never through
// a float): 1000000, "1000000.10", 10_000_000.
func (d *decoder) amount(n *yaml.Node, name string) (decimal.Decimal, bool) {
	s, ok := scalar(n)
	if !ok {
		d.errorf(n, "%s must be an amount", name)
		return decimal.Zero, false
	}
	v, err := money.ParseLiteral(s)
	if err != nil {
		d.errorf(n, "%s must be an amount, got %q", name, s)
		return decimal.Zero, false
	}
	if v.IsNegative() {
		d.errorf(n, "%s must not be negative, got %s", name, s)
		return decimal.Zero, false
	}
	return v, true
}

// hasKey reports whether mapping node n has the key.
func hasKey(n *yaml.Node, key string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// money reads an amount of the settlement currency: it may have no more
// decimal places than the rounding scale, since every figure it meets
// (shares, bases, top-ups) is at that scale and SPEC 5 rounds nothing
// else. A price per unit is not money in this sense: it is divided first.
func (d *decoder) money(n *yaml.Node, name string) (decimal.Decimal, bool) {
	v, ok := d.amount(n, name)
	if ok && d.scale >= 0 && !v.Equal(v.Truncate(d.scale)) {
		d.errorf(n, "%s %s has more decimal places than the rounding scale (%d)", name, n.Value, d.scale)
		return decimal.Zero, false
	}
	return v, ok
}

// rate reads a percentage, 0% to 100%. A bare number is refused: 0.125
// and 12.5 are both plausible readings of "twelve and a half percent".
func (d *decoder) rate(n *yaml.Node, name string) (money.Rate, bool) {
	if isNumber(n) {
		d.errorf(n, "%s %s must be written as a percentage, e.g. \"12.5%%\"", name, n.Value)
		return money.Rate{}, false
	}
	s, ok := scalar(n)
	if !ok {
		d.errorf(n, "%s must be a percentage, e.g. \"12.5%%\"", name)
		return money.Rate{}, false
	}
	r, err := money.ParseRate(s)
	if err != nil {
		d.errorf(n, "%s", err)
		return money.Rate{}, false
	}
	if r.Value.IsNegative() || r.Value.GreaterThan(decimal.NewFromInt(1)) {
		d.errorf(n, "%s %s must be between 0%% and 100%%", name, r)
		return money.Rate{}, false
	}
	return r, true
}

// date reads YYYY-MM-DD (yaml may tag it !!timestamp; its text is used).
func (d *decoder) date(n *yaml.Node, name string) (time.Time, bool) {
	s, ok := scalar(n)
	if ok {
		if t, err := period.ParseDate(s); err == nil {
			return t, true
		}
	}
	if ok {
		d.errorf(n, "%s must be a date YYYY-MM-DD, got %q", name, s)
	} else {
		d.errorf(n, "%s must be a date YYYY-MM-DD", name)
	}
	return time.Time{}, false
}

// count reads a non-negative integer written in plain decimal digits: no
// sign, no `_` (YAML 1.2, which editors and the JSON Schema follow, reads
// 1_0 as a string, yaml.v3 as an int), no 0x or 0o.
func (d *decoder) count(n *yaml.Node, name string) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" && n.Value != "" && strings.Trim(n.Value, "0123456789") == "" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s must be a non-negative integer", name)
	return 0, false
}
