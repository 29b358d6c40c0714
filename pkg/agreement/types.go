// Package agreement reads and validates the agreement file (SPEC 2): the
// contract terms, strictly decoded through yaml.Node so that every amount is
// read from its literal text and every error carries a line and column.
package agreement

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/glob"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// SchemaV1 is the only agreement schema this version reads.
const SchemaV1 = "llamashare/v1"

// MaxSize is the largest agreement file accepted (SPEC 2).
const MaxSize = 10 << 20

// Agreement is a decoded, validated agreement file.
type Agreement struct {
	Path string // as given on the command line
	// WorkDir is the folder Path (and so fx.rates) is relative to: ""
	// for the process's working folder (see LoadIn).
	WorkDir  workdir.Dir
	SHA256   string // hex digest of the file's bytes
	Name     string
	Licensor string
	Currency string
	Period   period.Kind
	Rounding money.Rounding
	FX       *FX
	Hosts    []*Host            // sorted by ID
	Formats  map[string]*Format // by name

	byName map[string]*Host // host ids and aliases, lower-cased
}

// Dir is the folder of the agreement file: relative paths inside it
// (fx.rates) are taken from there.
func (a *Agreement) Dir() string { return filepath.Dir(a.Path) }

// RatesPath is the fx rates file's path as the agreement's readers name
// it: fx.rates taken from the agreement's folder (Dir) unless absolute;
// "" without fx. Open it through WorkDir.
func (a *Agreement) RatesPath() string {
	if a.FX == nil {
		return ""
	}
	if filepath.IsAbs(a.FX.Rates) {
		return a.FX.Rates
	}
	return filepath.Join(a.Dir(), a.FX.Rates)
}

// Host returns the host whose id or alias is name (case-insensitive).
func (a *Agreement) Host(name string) *Host {
	return a.byName[strings.ToLower(strings.TrimSpace(name))]
}

// HostByID returns the host with exactly this id.
func (a *Agreement) HostByID(id string) *Host {
	for _, h := range a.Hosts {
		if h.ID == id {
			return h
		}
	}
	return nil
}

// Index builds the host name lookup of an Agreement assembled by hand (in
// tests); Decode does this itself.
func (a *Agreement) Index() { a.index() }

// index builds the host name lookup; Decode calls it.
func (a *Agreement) index() {
	a.byName = map[string]*Host{}
	for _, h := range a.Hosts {
		a.byName[strings.ToLower(h.ID)] = h
		for _, al := range h.Aliases {
			a.byName[strings.ToLower(strings.TrimSpace(al))] = h
		}
	}
}

// FX is the agreement's currency conversion setting.
type FX struct {
	Rates  string // path as written, relative to the agreement's folder
	Method string // fx.Daily | fx.PeriodEnd | fx.PeriodAverage
}

// Host is one licensee.
type Host struct {
	ID      string
	Name    string
	Aliases []string
	Terms   []*Terms // sorted by From
}

// DisplayName is the host's name, or its id when it has none.
func (h *Host) DisplayName() string {
	if h.Name != "" {
		return h.Name
	}
	return h.ID
}

// TermsFor returns the version of the terms covering p, or nil.
func (h *Host) TermsFor(p period.Period) *Terms {
	for _, t := range h.Terms {
		if t.Covers(p) {
			return t
		}
	}
	return nil
}

// Deductible figures a version may list in `deduct`.
var Deductibles = []string{"refunds", "taxes", "fees", "credits"}

// Terms is one version of a host's terms, effective over [From, To].
type Terms struct {
	From    period.Period // first settlement period
	To      period.Period // last settlement period; zero = open-ended
	Deduct  []string      // a subset of Deductibles, in file order
	Rules   []*Rule       // `rates`, in file order
	Minimum *Minimum
	Cap     *Cap
	Advance *Advance
	Payout  Payout
	Reports string // ReportsExpected (default) or ReportsNoneExpected
}

// Values of a terms version's `reports` (SPEC 8): whether a period without
// rows from the host is worth a warning.
const (
	ReportsExpected     = "expected"      // the default: a period without rows may be a missing report
	ReportsNoneExpected = "none-expected" // the host legitimately reports nothing some periods
)

// ExpectsReports reports whether a period without rows under this version
// deserves the "missing report?" warning.
func (t *Terms) ExpectsReports() bool { return t.Reports != ReportsNoneExpected }

// Covers reports whether the version applies to settlement period p.
func (t *Terms) Covers(p period.Period) bool {
	if p.Before(t.From) {
		return false
	}
	return t.To.IsZero() || !p.After(t.To)
}

// Deducts reports whether figure (refunds, taxes, fees, credits) is deducted.
func (t *Terms) Deducts(figure string) bool {
	for _, d := range t.Deduct {
		if d == figure {
			return true
		}
	}
	return false
}

// Rule returns the first rule whose products match product, or nil.
func (t *Terms) Rule(product string) *Rule {
	for _, r := range t.Rules {
		if r.Matches(product) {
			return r
		}
	}
	return nil
}

// Rule is one entry of `rates`: exactly one of Rate, Tiers, PerUnit is set.
type Rule struct {
	Name      string   // `name`, or "rule N"
	Index     int      // 0-based position in `rates`
	Products  []string // lower-cased globs; default ["*"]
	DeMinimis *decimal.Decimal
	Rate      *money.Rate
	Tiers     *Tiers
	PerUnit   *PerUnit
}

// Matches reports whether the (lower-cased) product matches one of the
// rule's globs, with shell rules (pkg/glob, SPEC 8): `[!g]` negates, and
// a `*` matches any text, `/` included (product ids such as
// `meta-llama/llama-3` are not paths).
func (r *Rule) Matches(product string) bool {
	for _, g := range r.Products {
		if p := compiled(g); p != nil && p.Match(product) {
			return true
		}
	}
	return false
}

// patterns caches compiled globs by their text: rules are matched once per
// distinct product, from several goroutines.
var patterns sync.Map // string → *glob.Pattern

// compiled returns g compiled, or nil when it does not compile (never for
// a decoded agreement: the decoder refuses such a glob).
func compiled(g string) *glob.Pattern {
	if p, ok := patterns.Load(g); ok {
		return p.(*glob.Pattern)
	}
	p, err := glob.Compile(g)
	if err != nil {
		p = nil
	}
	patterns.Store(g, p)
	return p
}

// Tier modes, windows and scopes.
const (
	Graduated = "graduated"
	Volume    = "volume"

	WindowPeriod   = "period"
	WindowYear     = "year"
	WindowLifetime = "lifetime"

	ScopeRule    = "rule"
	ScopeProduct = "product"
)

// Tiers is a banded rate.
type Tiers struct {
	Mode   string // graduated | volume
	Window string // period | year | lifetime
	Scope  string // rule | product
	Bands  []Band
}

// Band is one tier band; UpTo is nil on the last band only.
type Band struct {
	UpTo *decimal.Decimal
	Rate money.Rate
}

// PerUnit is a price per `Per` units.
type PerUnit struct {
	Price decimal.Decimal
	Per   decimal.Decimal
}

// Windows of minimums, caps.
const (
	PerPeriod   = "period"
	PerYear     = "year"
	PerLifetime = "lifetime"
)

// Minimum is a guaranteed minimum share.
type Minimum struct {
	Amount decimal.Decimal
	Per    string // period | year
}

// Cap is a ceiling on share plus minimum top-up.
type Cap struct {
	Amount decimal.Decimal
	Per    string // period | year | lifetime
}

// Advance is a prepayment recouped from what falls due.
type Advance struct {
	Amount   decimal.Decimal
	Received time.Time
}

// Payout sets when an amount is paid rather than carried forward.
type Payout struct {
	Threshold decimal.Decimal // default 0
	DueDays   int             // default 30
}

// Format is a partner report layout (SPEC 4.1).
type Format struct {
	Name         string
	Host         string            // host id every row belongs to, or ""
	Delimiter    rune              // 0 = ',' (tab for a .tsv file)
	Columns      map[string]string // canonical field -> partner header
	DateFormat   string            // tokens YYYY MM DD M D MMM; "" = canonical
	Decimal      byte              // '.' (default) or ','
	Negate       []string          // fields reported as negative
	Products     map[string]string // partner product id -> product id
	Amount       string            // ledger style: the amount column
	Kind         string            // ledger style: the column naming the amount's meaning
	Kinds        map[string]string // kind value -> gross|refunds|taxes|fees|credits|units|ignore
	SkipLines    int
	IgnorePrefix string
	// IgnoreColumns are partner headers the format knows it does not read:
	// they draw no "ignoring columns" warning (SPEC 8).
	IgnoreColumns []string
}

// Fields are the canonical revenue columns (SPEC 3), in header order.
var Fields = []string{"date", "period", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units", "region"}

// HostHint is the "did you mean" hint for a host name the agreement does
// not know: the closest host id or alias, or "" when none is close.
func (a *Agreement) HostHint(name string) string {
	names := make([]string, 0, len(a.byName))
	for n := range a.byName {
		names = append(names, n)
	}
	sort.Strings(names) // ties go to the first name, whatever the map order
	return didYouMean(name, names)
}
