package sqlgen

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// format is a partner format (or the canonical columns) as the query reads it.
type format struct {
	name      string
	delim     rune
	skip      int
	decimal   byte
	host      string            // fixed host id, or ""
	cols      map[string]string // field (and "amount", "kind") -> header
	ledger    bool
	kinds     map[string]string // kind value -> figure or "ignore"
	kindOrder []string
	negate    map[string]bool
	products  map[string]string // lower-cased partner id -> product id
	date      []dateTok         // nil: the canonical date
	dateText  string
	footer    string
}

// compile reads the named format of a (canonical when name is "" or
// "canonical"). Only the columns the format maps are read (SPEC 8).
func compile(a *agreement.Agreement, name string) (*format, error) {
	f := &format{name: "canonical", decimal: '.', cols: map[string]string{}, negate: map[string]bool{}}
	if name == "" || name == "canonical" {
		for _, c := range []string{"date", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units"} {
			f.cols[c] = c
		}
		return f, nil
	}
	af := a.Formats[name]
	if af == nil {
		return nil, unknownFormat(a, name)
	}
	bad := func(msg string, args ...any) error {
		return fmt.Errorf("format %q: "+msg, append([]any{name}, args...)...)
	}
	f.name = name
	f.delim = af.Delimiter
	f.skip = af.SkipLines
	if af.Decimal != 0 {
		f.decimal = af.Decimal
	}
	f.footer = af.IgnorePrefix
	if af.Host != "" {
		if a.HostByID(af.Host) == nil {
			return nil, bad("unknown host %q", af.Host)
		}
		f.host = af.Host
	}
	for _, step := range []func(*agreement.Format, badFunc) error{f.mapColumns, f.ledgerKinds, f.valueRules} {
		if err := step(af, bad); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// badFunc words a problem with the format being compiled.
type badFunc func(msg string, args ...any) error

// unknownFormat refuses a format name the agreement does not declare,
// listing those it does.
func unknownFormat(a *agreement.Agreement, name string) error {
	names := make([]string, 0, len(a.Formats))
	for n := range a.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	hint := "the agreement declares no formats"
	if len(names) > 0 {
		hint = "declared formats: canonical, " + strings.Join(names, ", ")
	}
	return fmt.Errorf("unknown format %q (%s)", name, hint)
}

// mapColumns takes the format's column headers: every field but region
// (not summed) and period (the query groups by day), the host column only
// without a fixed host; a date column is required.
func (f *format) mapColumns(af *agreement.Format, bad badFunc) error {
	for fld, h := range af.Columns {
		switch fld {
		case "region":
			continue // not summed
		case "period":
			if strings.TrimSpace(af.Columns["date"]) == "" {
				return bad("maps period but not date: the query groups by day; map the date column (a period label has no day)")
			}
			continue
		case "host":
			if f.host != "" {
				continue
			}
		}
		f.cols[fld] = strings.TrimSpace(h)
	}
	if f.cols["date"] == "" {
		return bad("maps no date column")
	}
	if f.host == "" && f.cols["host"] == "" {
		f.cols["host"] = "host"
	}
	return nil
}

// ledgerKinds reads a ledger format's amount and kind columns and its
// kinds (each a figure or ignore) in place of the figure columns.
func (f *format) ledgerKinds(af *agreement.Format, bad badFunc) error {
	if af.Amount != "" || af.Kind != "" || len(af.Kinds) > 0 {
		if af.Amount == "" || af.Kind == "" {
			return bad("a ledger format needs both amount and kind")
		}
		f.ledger = true
		for _, fig := range figures {
			if fig != "units" {
				delete(f.cols, fig)
			}
		}
		f.cols["amount"] = strings.TrimSpace(af.Amount)
		f.cols["kind"] = strings.TrimSpace(af.Kind)
		f.kinds = map[string]string{}
		for k, v := range af.Kinds {
			if v != "ignore" && !isFigure(v) {
				return bad("kind %q: unknown figure %q", k, v)
			}
			f.kinds[strings.TrimSpace(k)] = v
		}
		f.kindOrder = slices.Sorted(maps.Keys(f.kinds))
	}
	return nil
}

// valueRules reads how values are read: the negated figures, product
// renames (lower-cased, the first of two spellings wins) and the date
// format.
func (f *format) valueRules(af *agreement.Format, bad badFunc) error {
	for _, n := range af.Negate {
		if !isFigure(n) {
			return bad("negate: %q is not an amount field", n)
		}
		f.negate[n] = true
	}
	if len(af.Products) > 0 {
		f.products = map[string]string{}
		for _, k := range slices.Sorted(maps.Keys(af.Products)) {
			lk := strings.ToLower(strings.TrimSpace(k))
			if _, dup := f.products[lk]; !dup {
				f.products[lk] = strings.ToLower(strings.TrimSpace(af.Products[k]))
			}
		}
	}
	if af.DateFormat != "" {
		toks, err := dateTokens(af.DateFormat)
		if err != nil {
			return bad("%v", err)
		}
		f.date, f.dateText = toks, af.DateFormat
	}
	return nil
}

func isFigure(s string) bool {
	for _, f := range figures {
		if f == s {
			return true
		}
	}
	return false
}

// fields are the fields read, in a fixed order.
func (f *format) fields() []string {
	var out []string
	for _, c := range []string{"date", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units", "amount", "kind"} {
		if f.cols[c] != "" {
			out = append(out, c)
		}
	}
	return out
}

// required reports whether a row needs field: llamashare refuses a report
// without it.
func (f *format) required(field string) bool {
	switch field {
	case "date", "host", "product":
		return true
	case "gross":
		return !f.ledger
	case "amount", "kind":
		return f.ledger
	}
	return false
}

// amountColumns are the read columns holding amounts.
func (f *format) amountColumns() []string {
	var out []string
	for _, c := range []string{"gross", "refunds", "taxes", "fees", "credits", "units", "amount"} {
		if f.cols[c] != "" {
			out = append(out, c)
		}
	}
	return out
}

// amountGroups name the captures of amountPattern: an opening parenthesis,
// a minus sign, the integer digits (grouped or not), the decimals and a
// closing parenthesis.
var amountGroups = []string{"o", "m", "i", "f", "c"}

// amountPattern is SPEC 3's amount grammar: `1234.56`, `-1234.56`, `.70`,
// `1,234.56`, `(1,234.56)`, a currency symbol before or after the minus.
// Text it does not match captures nothing, and the query fails on it.
func (g *gen) amountPattern() string {
	group, dec := `,`, `\.`
	if g.f.decimal == ',' {
		group, dec = `\.`, `,`
	}
	sym := `[$€£¥]?`
	return `^(\()?\s*` + sym + `\s*(-)?\s*` + sym + `\s*([0-9]{1,3}(?:` + group + `[0-9]{3})+|[0-9]*)(?:` + dec + `([0-9]+))?\s*(\))?$`
}

// plainPattern matches the amounts an engine's own cast reads exactly as
// llamashare does: digits, an optional minus, at most scale decimals
// after a point (with a decimal comma there is no such plain form).
func (g *gen) plainPattern() string {
	if g.f.decimal == ',' {
		return `^-?[0-9]+$`
	}
	return fmt.Sprintf(`^-?[0-9]+(\.[0-9]{1,%d})?$`, g.scale)
}

// figureExpr is the typed value of one figure of a row (zero where the
// row has none), negated when the format says so.
func (g *gen) figureExpr(fig, dec string) string {
	f := g.f
	var v string
	switch {
	case f.ledger && fig == "units" && f.cols["units"] != "":
		// Units in a column of their own, plus any amount of kind units.
		v = fmt.Sprintf("%s + CASE WHEN k_ = 'units' THEN %s ELSE 0 END", g.amountExpr("units", dec, false), g.amountExpr("amount", dec, true))
	case f.ledger:
		v = fmt.Sprintf("CASE WHEN k_ = %s THEN %s ELSE 0 END", quoteStr(fig), g.amountExpr("amount", dec, true))
		if fig == "gross" {
			// An unknown kind stops the query here (ignored kinds were
			// dropped before).
			v = fmt.Sprintf("CASE WHEN k_ IS NULL THEN %s ELSE %s END",
				g.d.fail(fmt.Sprintf("'llamashare: unknown kind ' || %s || ' in column ' || %s", quoteLit("c_kind"), quoteStr(f.cols["kind"])), dec), v)
		}
	case f.cols[fig] == "":
		return "CAST(0 AS " + dec + ")"
	default:
		v = g.amountExpr(fig, dec, fig == "gross")
	}
	if f.negate[fig] {
		v = "-(" + v + ")"
	}
	return v
}

// quoteLit shows a column's value quoted in a message.
func quoteLit(c string) string { return `'"' || ` + c + ` || '"'` }

// amountExpr reads column c_<c> by its captures m_<c>: empty is zero (an
// error when required); text outside the grammar, or with more decimals
// than the scale, stops the query.
func (g *gen) amountExpr(c, dec string, required bool) string {
	d := g.d
	m := "m_" + c
	grp := func(name string) string {
		for i, n := range amountGroups {
			if n == name {
				return d.group(m, i, name)
			}
		}
		panic(name)
	}
	o, mi, i, fr, cl := grp("o"), grp("m"), grp("i"), grp("f"), grp("c")
	msg := fmt.Sprintf("'llamashare: invalid amount ' || %s || ' in column ' || %s", quoteLit("c_"+c), quoteStr(g.f.cols[c]))
	empty := "CAST(0 AS " + dec + ")"
	if required {
		// The message ends in the (empty) value so that it is not a
		// constant PostgreSQL would cast, and fail on, while planning.
		empty = d.fail(fmt.Sprintf("'llamashare: empty amount in column ' || %s || c_%s", quoteStr(g.f.cols[c]), c), dec)
	}
	group := ","
	if g.f.decimal == ',' {
		group = "."
	}
	bad := fmt.Sprintf("(%s = '' AND %s = '') OR (%s = '') <> (%s = '') OR (%s <> '' AND %s <> '') OR length(%s) > %d",
		i, fr, o, cl, o, mi, fr, g.scale)
	num := fmt.Sprintf("CASE WHEN %s <> '' OR %s <> '' THEN '-' ELSE '' END || CASE WHEN %s = '' THEN '0' ELSE replace(%s, %s, '') END || '.' || CASE WHEN %s = '' THEN '0' ELSE %s END",
		o, mi, i, i, quoteStr(group), fr, fr)
	return fmt.Sprintf("CASE WHEN c_%s = '' THEN %s WHEN %s THEN CAST(%s AS %s) WHEN %s THEN %s ELSE CAST(%s AS %s) END",
		c, empty, "p_"+c, "c_"+c, dec, bad, d.fail(msg, dec), num, dec)
}

// dateTok is one token of a date_format: a literal or y, m (digits), b
// (month abbreviation), d.
type dateTok struct {
	kind byte // 0 literal, 'y', 'm', 'b', 'd'
	lit  string
	pat  string
}

// dateTokens splits a date_format into tokens (SPEC 4.1): YYYY, MM, M,
// MMM, DD, D; every other character stands for itself.
func dateTokens(s string) ([]dateTok, error) {
	var toks []dateTok
	var ny, nm, nd int
	for i := 0; i < len(s); {
		c := s[i]
		j := i
		if c != 'Y' && c != 'M' && c != 'D' {
			for j < len(s) && s[j] != 'Y' && s[j] != 'M' && s[j] != 'D' {
				j++
			}
			toks = append(toks, dateTok{lit: s[i:j], pat: regexp.QuoteMeta(s[i:j])})
			i = j
			continue
		}
		for j < len(s) && s[j] == c {
			j++
		}
		n := j - i
		var t dateTok
		switch {
		case c == 'Y' && n == 4:
			t, ny = dateTok{kind: 'y', pat: `([0-9]{4})`}, ny+1
		case c == 'M' && n == 1:
			t, nm = dateTok{kind: 'm', pat: `([0-9]{1,2})`}, nm+1
		case c == 'M' && n == 2:
			t, nm = dateTok{kind: 'm', pat: `([0-9]{2})`}, nm+1
		case c == 'M' && n == 3:
			t, nm = dateTok{kind: 'b', pat: `([A-Za-z]{3})`}, nm+1
		case c == 'D' && n == 1:
			t, nd = dateTok{kind: 'd', pat: `([0-9]{1,2})`}, nd+1
		case c == 'D' && n == 2:
			t, nd = dateTok{kind: 'd', pat: `([0-9]{2})`}, nd+1
		default:
			return nil, fmt.Errorf("invalid date_format %q: %q is not a token", s, s[i:j])
		}
		toks = append(toks, t)
		i = j
	}
	if ny != 1 || nm != 1 || nd != 1 {
		return nil, fmt.Errorf("invalid date_format %q: it needs one year, one month and one day", s)
	}
	return toks, nil
}

// dateCapture is the captures of a date_format date ("" for the canonical
// date) and the group names in token order.
func (g *gen) dateCapture() (string, []string) {
	if g.f.date == nil {
		return "", nil
	}
	var pat strings.Builder
	var groups []string
	pat.WriteString("^")
	for _, t := range g.f.date {
		pat.WriteString(t.pat)
		if t.kind != 0 {
			groups = append(groups, string(t.kind))
		}
	}
	pat.WriteString("$")
	return g.d.captures("c_date", pat.String(), groups), groups
}

var months = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// dateExpr is the row's day. A date that does not fit the format, or is no
// day of the calendar, stops the query.
func (g *gen) dateExpr(groups []string) string {
	d := g.d
	msg := fmt.Sprintf("'llamashare: invalid date ' || %s || ' in column ' || %s", quoteLit("c_date"), quoteStr(g.f.cols["date"]))
	if g.f.date == nil {
		ts := `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$`
		return fmt.Sprintf("CASE WHEN %s THEN CAST(c_date AS DATE) WHEN %s THEN %s ELSE %s END",
			d.matches("c_date", `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`), d.matches("c_date", ts),
			d.timestampDate("upper(c_date)"), d.fail(msg, "DATE"))
	}
	part := map[string]string{}
	for i, name := range groups {
		part[name] = d.group("m_date", i, name)
	}
	month := "CAST(" + part["m"] + " AS INTEGER)"
	if b, ok := part["b"]; ok {
		var cs strings.Builder
		cs.WriteString("CASE lower(" + b + ")")
		for i, m := range months {
			fmt.Fprintf(&cs, " WHEN '%s' THEN %d", m, i+1)
		}
		cs.WriteString(" END")
		month = cs.String()
	}
	return fmt.Sprintf("CASE WHEN %s = '' THEN %s WHEN (%s) IS NULL THEN %s ELSE make_date(CAST(%s AS INTEGER), %s, CAST(%s AS INTEGER)) END",
		part["y"], d.fail(msg, "DATE"), month, d.fail(msg, "DATE"), part["y"], month, part["d"])
}
