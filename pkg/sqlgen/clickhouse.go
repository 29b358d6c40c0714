package sqlgen

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ClickHouse (tested with Debian's 18.16.1 on a two-shard cluster behind a
// Distributed table, scripts/scale-test.sh) differs from DuckDB and
// PostgreSQL in ways that shape the whole query, so it is written by its
// own generator rather than through the dialect interface:
//
//   - No CTEs (18.16 has none, and its WITH expressions cannot be used
//     with GROUP BY): one SELECT … FROM the table … GROUP BY, with every
//     intermediate value an alias; over a Distributed table it is what
//     each shard runs on its own rows, so the summing runs on the shards.
//     An outer SELECT only names the columns.
//   - Every branch of if/multiIf is evaluated for every row (no
//     short-circuit), so no expression may fail on a row whose branch is
//     not taken: text is validated by regular expressions first and only
//     valid text reaches a cast; errors are collected into one message per
//     row and raised by parsing it as a number (toUInt8 of a non-empty
//     message fails, naming it).
//   - Casting text that is not a number to Decimal yields 0 without an
//     error, and toDate('2025-02-30') rolls over to March 2: hence the
//     validation, and a date is checked by printing it back.
//   - CASE x WHEN … returns NULL in 18.16 for some inputs: multiIf with
//     equality tests is used instead.
//   - String literals take backslash escapes.
//   - There is no way to read a row's first column without naming it, so
//     a format with ignore_prefix is refused; --from is a table.

// chStr is a ClickHouse string literal.
func chStr(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// chIdent quotes an identifier with backquotes.
func chIdent(s string) (string, error) {
	if strings.ContainsAny(s, "`\\") {
		return "", fmt.Errorf("clickhouse: column or table name %q contains a backquote or backslash", s)
	}
	return "`" + s + "`", nil
}

// onlyGroup rewrites pattern so that its k-th capturing group (0-based) is
// its only one: extract() returns the first group's text (empty when it does
// not take part or the pattern does not match).
func onlyGroup(pattern string, k int) string {
	var b strings.Builder
	n := 0
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			b.WriteByte(c)
			i++
			b.WriteByte(pattern[i])
			continue
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
		case c == '(' && (i+1 >= len(pattern) || pattern[i+1] != '?'):
			if n != k {
				b.WriteString("(?:")
				n++
				continue
			}
			n++
		}
		b.WriteByte(c)
	}
	return b.String()
}

// chGen writes the ClickHouse query.
type chGen struct {
	*gen
	with []string // alias definitions, in order
	errs []string // per-row error message expressions ('' when none)
}

// def names expr alias. An alias must sit on a function call: the query
// a Distributed table sends to its shards is printed without the
// parentheses around `a AND b`, so `(a AND b) AS x` arrives as
// `a AND (b AS x)` (a wrong value, or a crashed 18.16 shard); conditions
// are therefore wrapped in toUInt8() and negations written negate().
func (c *chGen) def(expr, alias string) string {
	c.with = append(c.with, "("+expr+") AS "+alias)
	return alias
}

// multiIf is CASE WHEN c1 THEN v1 … ELSE e END.
func multiIf(pairs []string, els string) string {
	return "multiIf(" + strings.Join(append(pairs, els), ", ") + ")"
}

func (g *gen) clickhouse(from string) (string, error) {
	f := g.f
	if f.footer != "" {
		return "", fmt.Errorf("format %q: ignore_prefix cannot be applied in clickhouse (a row's first column has no name to read it by); load the report without its footer lines and use a format without ignore_prefix", f.name)
	}
	if isPath(from) {
		return "", fmt.Errorf("--from %s: clickhouse reads a table, not a file: load the file into a table of String columns first (on a cluster, point --from at a Distributed table over them)", from)
	}
	parts := strings.Split(from, ".")
	for i, p := range parts {
		q, err := chIdent(p)
		if err != nil {
			return "", err
		}
		parts[i] = q
	}
	c := &chGen{gen: g}
	for _, fld := range f.fields() {
		q, err := chIdent(f.cols[fld])
		if err != nil {
			return "", err
		}
		c.def(fmt.Sprintf("replaceRegexpAll(ifNull(toString(t.%s), ''), '^ +| +$', '')", q), "c_"+fld)
	}
	var read []string
	for _, fld := range f.fields() {
		read = append(read, "c_"+fld+" = ''")
	}
	kept := "NOT (" + strings.Join(read, " AND ") + ")"
	if f.ledger {
		c.def(c.kind(), "k_")
		kept += " AND k_ <> 'ignore'"
	}
	c.def("toUInt8("+kept+")", "kept_")
	c.def(c.date(), "d_")
	c.def(c.host(), "h_")
	c.def(c.product(), "p_")
	c.def(c.currency(), "cur_")
	amounts := map[string]string{}
	for _, col := range f.amountColumns() {
		amounts[col] = c.amount(col, col == "gross" || (f.ledger && col == "amount"))
	}
	zero := fmt.Sprintf("toDecimal128('0', %d)", g.scale)
	var outs []string
	for _, fig := range figures {
		var v string
		switch {
		case f.ledger && fig == "units" && f.cols["units"] != "":
			v = fmt.Sprintf("plus(%s, if(k_ = 'units', %s, %s))", amounts["units"], amounts["amount"], zero)
		case f.ledger:
			v = fmt.Sprintf("if(k_ = %s, %s, %s)", chStr(fig), amounts["amount"], zero)
		case f.cols[fig] == "":
			v = zero
		default:
			v = amounts[fig]
		}
		if f.negate[fig] {
			v = "negate(" + v + ")"
		}
		c.def(v, "v_"+fig)
		outs = append(outs, fmt.Sprintf("sum(v_%s) AS o_%s", fig, fig))
	}
	if f.ledger {
		// An unknown kind (not ignored, not named) stops the query.
		c.errs = append([]string{fmt.Sprintf("if(k_ = '', concat('llamashare: unknown kind \"', c_kind, '\" in column ', %s), '')", chStr(f.cols["kind"]))}, c.errs...)
	}
	var errPairs []string
	for _, e := range c.errs {
		errPairs = append(errPairs, e+" <> ''", e)
	}
	c.def(fmt.Sprintf("if(kept_, %s, '')", multiIf(errPairs, "''")), "e_")

	return c.render(strings.Join(parts, "."), from, outs), nil
}

// render writes the query: the header, the outer SELECT that names the
// columns, and the inner SELECT over the table with the aliases c defined.
func (c *chGen) render(table, from string, outs []string) string {
	f, g := c.f, c.gen
	var b strings.Builder
	fmt.Fprintf(&b, "-- llamashare sql --engine clickhouse --format %s\n", f.name)
	fmt.Fprintf(&b, "-- agreement %s sha256 %s\n", g.a.Path, g.a.SHA256)
	fmt.Fprintf(&b, "-- format %s; source %s\n", f.name, from)
	b.WriteString("-- Sums raw rows to SPEC 5's pre-aggregation grain (date, host, product, currency)\n")
	fmt.Fprintf(&b, "-- in exact Decimal(38, %d); settle the result with llamashare to the same cent.\n", g.scale)
	b.WriteString("-- The inner SELECT reads the table: over a Distributed table each shard runs it,\n")
	b.WriteString("-- summing its own rows, and the initiator merges the sums.\n")
	b.WriteString("SELECT o_date AS `date`, o_host AS host, o_product AS product, o_currency AS currency,\n       ")
	var outer []string
	for _, fig := range figures {
		outer = append(outer, "o_"+fig+" AS "+fig)
	}
	b.WriteString(strings.Join(outer, ", ") + "\nFROM (\n")
	b.WriteString("  SELECT " + strings.Join(append([]string{"toString(d_) AS o_date", "h_ AS o_host", "p_ AS o_product", "cur_ AS o_currency"}, outs...), ",\n         ") + "\n")
	b.WriteString("  FROM " + table + " AS t\n")
	// ClickHouse 18.16 puts WITH expressions into the select list, where
	// GROUP BY refuses them: the aliases are defined inside ignore() (which
	// is 0) in WHERE, and used from there everywhere.
	b.WriteString("  WHERE ignore(" + strings.Join(c.with, ",\n               ") + ") = 0\n")
	// toUInt8 of a non-empty message fails the query, naming the message.
	b.WriteString("    AND kept_ AND toUInt8(if(e_ = '', '0', e_)) = 0\n")
	b.WriteString("  GROUP BY d_, h_, p_, cur_\n)\nORDER BY `date`, host, product, currency;\n")
	return b.String()
}

// amount is the Decimal(38, s) value of column c_<col>; text outside the
// grammar (or empty when required) adds an error and reads as 0.
func (c *chGen) amount(col string, required bool) string {
	g := c.gen
	s := "c_" + col
	pat := g.amountPattern()
	grp := map[string]string{}
	for i, name := range amountGroups {
		grp[name] = c.def(fmt.Sprintf("extract(%s, %s)", s, chStr(onlyGroup(pat, i))), fmt.Sprintf("m%s_%s", name, col))
	}
	o, mi, i, fr, cl := grp["o"], grp["m"], grp["i"], grp["f"], grp["c"]
	plain := c.def(fmt.Sprintf("match(%s, %s)", s, chStr(g.plainPattern())), "p_"+col)
	bad := c.def(fmt.Sprintf("toUInt8(%s <> '' AND NOT %s AND ((%s = '' AND %s = '') OR (%s = '') <> (%s = '') OR (%s <> '' AND %s <> '') OR length(%s) > %d))",
		s, plain, i, fr, o, cl, o, mi, fr, g.scale), "b_"+col)
	group := ","
	if g.f.decimal == ',' {
		group = "."
	}
	num := fmt.Sprintf("concat(if(%s <> '' OR %s <> '', '-', ''), if(%s = '', '0', replaceAll(%s, %s, '')), '.', if(%s = '', '0', %s))",
		o, mi, i, i, chStr(group), fr, fr)
	text := multiIf([]string{s + " = ''", "'0'", plain, s, bad, "'0'"}, num)
	msg := fmt.Sprintf("if(%s, concat('llamashare: invalid amount \"', %s, '\" in column ', %s), '')", bad, s, chStr(g.f.cols[col]))
	if required {
		msg = fmt.Sprintf("if(%s = '', concat('llamashare: empty amount in column ', %s), %s)", s, chStr(g.f.cols[col]), msg)
	}
	if g.f.ledger && col == "amount" {
		// Only the rows of a kind that fills a figure need an amount.
		msg = fmt.Sprintf("if(k_ = '', '', %s)", msg)
	}
	c.errs = append(c.errs, msg)
	return c.def(fmt.Sprintf("toDecimal128(%s, %d)", text, g.scale), "a_"+col)
}

// date is the row's day. Its text is built as YYYY-MM-DD, read with
// toDate and printed back: a day that is not in the calendar (or outside
// ClickHouse's Date range, 1970–2105) does not print back the same, and
// adds an error.
func (c *chGen) date() string {
	g := c.gen
	var text string
	if g.f.date == nil {
		ts := `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$`
		text = multiIf([]string{
			fmt.Sprintf("match(c_date, %s)", chStr(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)), "c_date",
			fmt.Sprintf("match(c_date, %s)", chStr(ts)), "toString(toDate(parseDateTimeBestEffortOrZero(upper(c_date)), 'UTC'))",
		}, "''")
	} else {
		var pat strings.Builder
		pat.WriteString("^")
		var kinds []byte
		for _, t := range g.f.date {
			pat.WriteString(t.pat)
			if t.kind != 0 {
				kinds = append(kinds, t.kind)
			}
		}
		pat.WriteString("$")
		part := map[byte]string{}
		for i, k := range kinds {
			part[k] = c.def(fmt.Sprintf("extract(c_date, %s)", chStr(onlyGroup(pat.String(), i))), "dt"+string(k)+"_")
		}
		pad := func(x string) string { return fmt.Sprintf("if(length(%s) = 1, concat('0', %s), %s)", x, x, x) }
		month := pad(part['m'])
		if b, ok := part['b']; ok {
			var pairs []string
			for i, m := range months {
				pairs = append(pairs, fmt.Sprintf("lower(%s) = '%s'", b, m), fmt.Sprintf("'%02d'", i+1))
			}
			month = multiIf(pairs, "''")
		}
		m := c.def(month, "dtm2_")
		text = fmt.Sprintf("if(%s = '' OR %s = '', '', concat(%s, '-', %s, '-', %s))", part['y'], m, part['y'], m, pad(part['d']))
	}
	t := c.def(text, "dtext_")
	d := c.def(fmt.Sprintf("toDate(if(%s = '', '2000-01-01', %s))", t, t), "dd_")
	c.errs = append(c.errs, fmt.Sprintf("if(%s = '' OR toString(%s) <> %s, concat('llamashare: invalid date \"', c_date, '\" in column ', %s), '')",
		t, d, t, chStr(g.f.cols["date"])))
	return d
}

// lookup maps text through pairs (from, to), exactly, else to els.
func lookup(text string, from, to []string, els string) string {
	var pairs []string
	for i := range from {
		pairs = append(pairs, text+" = "+chStr(from[i]), chStr(to[i]))
	}
	if len(pairs) == 0 {
		return els
	}
	return multiIf(pairs, els)
}

// kind is the figure a ledger row fills: 'ignore', or empty for a kind the
// format does not name; an exact match first, then one ignoring case.
func (c *chGen) kind() string {
	f := c.f
	var from, to, lfrom, lto []string
	seen := map[string]bool{}
	for _, k := range f.kindOrder {
		from, to = append(from, k), append(to, f.kinds[k])
		if lk := strings.ToLower(k); !seen[lk] {
			seen[lk] = true
			lfrom, lto = append(lfrom, lk), append(lto, f.kinds[k])
		}
	}
	return lookup("c_kind", from, to, lookup("lower(c_kind)", lfrom, lto, "''"))
}

func (c *chGen) host() string {
	if c.f.host != "" {
		return chStr(c.f.host)
	}
	var from, to []string
	for _, h := range c.a.Hosts {
		from, to = append(from, strings.ToLower(h.ID)), append(to, h.ID)
		for _, al := range h.Aliases {
			from, to = append(from, strings.ToLower(strings.TrimSpace(al))), append(to, h.ID)
		}
	}
	return lookup("lower(c_host)", from, to, "c_host")
}

func (c *chGen) product() string {
	keys := slices.Sorted(maps.Keys(c.f.products))
	to := make([]string, len(keys))
	for i, k := range keys {
		to[i] = c.f.products[k]
	}
	return lookup("lower(c_product)", keys, to, "lower(c_product)")
}

func (c *chGen) currency() string {
	cur := chStr(c.a.Currency)
	if c.f.cols["currency"] == "" {
		return cur
	}
	return "if(c_currency = '', " + cur + ", upper(c_currency))"
}
