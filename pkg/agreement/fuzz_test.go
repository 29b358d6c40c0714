package agreement

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/dateformat"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/glob"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// FuzzDecode: Decode never panics and returns quickly; a file it refuses
// gets positioned problems in order; a file it accepts also validates
// against the JSON Schema (`llamashare schema`), and the agreement holds
// every invariant the engine relies on (checkAgreement). The seed corpus
// is in testdata/fuzz/FuzzDecode/.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a crash: the fuzzer then keeps the input (a slow
		// input only fails the test below).
		watchdog := time.AfterFunc(10*time.Second, func() {
			panic(fmt.Sprintf("hangs on %q", data))
		})
		defer watchdog.Stop()
		start := time.Now()
		a, err := Decode("agreement.yaml", data)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Decode took %v on %d bytes", d, len(data))
		}
		if err != nil {
			var l diag.List
			if !errors.As(err, &l) || len(l) == 0 {
				t.Fatalf("error %T is not a non-empty diag.List: %v", err, err)
			}
			for i, p := range l {
				if p.Path != "agreement.yaml" || p.Msg == "" || p.Line < 0 || p.Col < 0 {
					t.Fatalf("problem %d: %+v", i, p)
				}
				if i > 0 && (p.Line < l[i-1].Line || p.Line == l[i-1].Line && p.Col < l[i-1].Col) {
					t.Fatalf("problems out of order: %v", err)
				}
			}
			return
		}
		if a == nil {
			t.Fatal("no agreement and no error")
		}
		if why := checkAgreement(a); why != "" {
			t.Fatalf("accepted agreement breaks an invariant: %s\n%s", why, data)
		}
		s, err := fuzzSchema()
		if err != nil {
			t.Fatal(err)
		}
		if err := validateYAML(s, data); err != nil {
			t.Fatalf("decodes, but the JSON Schema refuses it: %v\n%s", err, data)
		}
	})
}

// fuzzSchema is the compiled JSON Schema, compiled once per process.
var fuzzSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	data, err := Schema()
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("agreement.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("agreement.json")
})

// checkAgreement returns "" when a holds the invariants of a decoded
// agreement, else what is wrong.
func checkAgreement(a *Agreement) string {
	if !money.ValidCurrency(a.Currency) {
		return fmt.Sprintf("currency %q", a.Currency)
	}
	if a.Period < period.Month || a.Period > period.Year {
		return fmt.Sprintf("period %d", a.Period)
	}
	if !contains(roundingModes, string(a.Rounding.Mode)) || a.Rounding.Scale < 0 || a.Rounding.Scale > maxScale {
		return fmt.Sprintf("rounding %+v", a.Rounding)
	}
	scale := a.Rounding.Scale
	fits := func(d decimal.Decimal) bool { return !d.IsNegative() && d.Equal(d.Truncate(scale)) }
	if a.FX != nil && (a.FX.Rates == "" || !contains(fxMethods, a.FX.Method)) {
		return fmt.Sprintf("fx %+v", a.FX)
	}
	if len(a.Hosts) == 0 {
		return "no hosts"
	}
	for i, h := range a.Hosts {
		if i > 0 && a.Hosts[i-1].ID >= h.ID {
			return fmt.Sprintf("hosts not sorted: %q before %q", a.Hosts[i-1].ID, h.ID)
		}
		if !hostIDPattern.MatchString(h.ID) || a.Host(h.ID) != h || a.HostByID(h.ID) != h {
			return fmt.Sprintf("host %q", h.ID)
		}
		for _, al := range h.Aliases {
			if al == "" || a.Host(al) != h {
				return fmt.Sprintf("host %q: alias %q", h.ID, al)
			}
		}
		if len(h.Terms) == 0 {
			return fmt.Sprintf("host %q has no terms", h.ID)
		}
		for j, t := range h.Terms {
			if t.From.Kind != a.Period || (!t.To.IsZero() && (t.To.Kind != a.Period || t.To.Before(t.From))) {
				return fmt.Sprintf("host %q terms %d: from %s to %s", h.ID, j, t.From, t.To)
			}
			if j > 0 {
				prev := h.Terms[j-1]
				if !prev.From.Before(t.From) || prev.To.IsZero() || !prev.To.Before(t.From) {
					return fmt.Sprintf("host %q: terms %s..%s and %s.. overlap or are out of order", h.ID, prev.From, prev.To, t.From)
				}
			}
			if why := checkTerms(t, fits); why != "" {
				return fmt.Sprintf("host %q terms from %s: %s", h.ID, t.From, why)
			}
		}
	}
	for name, f := range a.Formats {
		if name == "" || f.Name != name {
			return fmt.Sprintf("format %q named %q", name, f.Name)
		}
		if f.Host != "" && a.HostByID(f.Host) == nil {
			return fmt.Sprintf("format %q: host %q", name, f.Host)
		}
		switch f.Delimiter {
		case 0, ',', ';', '\t', '|':
		default:
			return fmt.Sprintf("format %q: delimiter %q", name, f.Delimiter)
		}
		if f.Decimal != '.' && f.Decimal != ',' {
			return fmt.Sprintf("format %q: decimal %q", name, f.Decimal)
		}
		if f.DateFormat != "" && dateformat.Check(f.DateFormat) != "" {
			return fmt.Sprintf("format %q: date_format %q", name, f.DateFormat)
		}
		if (f.Amount == "") != (f.Kind == "") || (f.Amount != "") != (f.Kinds != nil) {
			return fmt.Sprintf("format %q: amount %q, kind %q, kinds %v", name, f.Amount, f.Kind, f.Kinds)
		}
		for field := range f.Columns {
			if !contains(Fields, field) {
				return fmt.Sprintf("format %q: column %q", name, field)
			}
		}
		if f.SkipLines < 0 {
			return fmt.Sprintf("format %q: skip_lines %d", name, f.SkipLines)
		}
	}
	return ""
}

func checkTerms(t *Terms, fits func(decimal.Decimal) bool) string {
	seen := map[string]bool{}
	for _, d := range t.Deduct {
		if !contains(Deductibles, d) || seen[d] {
			return fmt.Sprintf("deduct %v", t.Deduct)
		}
		seen[d] = true
	}
	if len(t.Rules) == 0 {
		return "no rules"
	}
	names := map[string]bool{}
	for i, r := range t.Rules {
		if r.Name == "" || names[r.Name] || r.Index != i {
			return fmt.Sprintf("rule %d: name %q, index %d", i, r.Name, r.Index)
		}
		names[r.Name] = true
		if len(r.Products) == 0 {
			return fmt.Sprintf("rule %q: no products", r.Name)
		}
		for _, g := range r.Products {
			if g == "" || !glob.Valid(g) {
				return fmt.Sprintf("rule %q: glob %q", r.Name, g)
			}
		}
		shapes := 0
		if r.Rate != nil {
			shapes++
			if !inUnit(r.Rate.Value) {
				return fmt.Sprintf("rule %q: rate %s", r.Name, r.Rate)
			}
		}
		if r.Tiers != nil {
			shapes++
			if why := checkTiers(r.Tiers); why != "" {
				return fmt.Sprintf("rule %q: %s", r.Name, why)
			}
		}
		if r.PerUnit != nil {
			shapes++
			if r.PerUnit.Price.IsNegative() || r.PerUnit.Per.Sign() <= 0 {
				return fmt.Sprintf("rule %q: per_unit %+v", r.Name, r.PerUnit)
			}
		}
		if shapes != 1 {
			return fmt.Sprintf("rule %q has %d of rate, tiers, per_unit", r.Name, shapes)
		}
		if r.DeMinimis != nil && !fits(*r.DeMinimis) {
			return fmt.Sprintf("rule %q: de_minimis %s", r.Name, r.DeMinimis)
		}
	}
	if m := t.Minimum; m != nil && (!fits(m.Amount) || !contains(minimumPers, m.Per)) {
		return fmt.Sprintf("minimum %+v", m)
	}
	if c := t.Cap; c != nil && (!fits(c.Amount) || !contains(capPers, c.Per)) {
		return fmt.Sprintf("cap %+v", c)
	}
	if t.Minimum != nil && t.Cap != nil && t.Minimum.Per == t.Cap.Per && t.Minimum.Amount.GreaterThan(t.Cap.Amount) {
		return fmt.Sprintf("minimum %s above cap %s", t.Minimum.Amount, t.Cap.Amount)
	}
	if t.Advance != nil && !fits(t.Advance.Amount) {
		return fmt.Sprintf("advance %s", t.Advance.Amount)
	}
	if !fits(t.Payout.Threshold) || t.Payout.DueDays < 0 {
		return fmt.Sprintf("payout %+v", t.Payout)
	}
	return ""
}

func checkTiers(t *Tiers) string {
	if !contains(tierModes, t.Mode) || !contains(tierWindows, t.Window) || !contains(tierScopes, t.Scope) {
		return fmt.Sprintf("tiers %s/%s/%s", t.Mode, t.Window, t.Scope)
	}
	if t.Mode == Volume && t.Window != WindowPeriod {
		return "volume tiers over a window"
	}
	if len(t.Bands) == 0 {
		return "no bands"
	}
	for i, b := range t.Bands {
		if !inUnit(b.Rate.Value) {
			return fmt.Sprintf("band %d: rate %s", i+1, b.Rate)
		}
		last := i == len(t.Bands)-1
		if last != (b.UpTo == nil) {
			return fmt.Sprintf("band %d: up_to %v", i+1, b.UpTo)
		}
		if i > 0 && !last && !b.UpTo.GreaterThan(*t.Bands[i-1].UpTo) {
			return fmt.Sprintf("band %d: up_to %s after %s", i+1, b.UpTo, t.Bands[i-1].UpTo)
		}
	}
	return ""
}

func inUnit(d decimal.Decimal) bool { return !d.IsNegative() && !d.GreaterThan(decimal.NewFromInt(1)) }
