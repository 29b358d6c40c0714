// Package sqlgen writes the SQL query that pre-aggregates a partner's raw
// revenue in a database engine (SPEC 11): it reads the raw rows the way the
// agreement's format declares (columns, host, ledger kinds, negate, product
// renames, date_format, decimal comma, ignore_prefix) and returns the
// canonical columns date,host,product,currency,gross,refunds,taxes,fees,
// credits,units summed per (date, host, product, currency) with exact
// DECIMAL(38, s) sums. SPEC 5's pre-aggregation contract makes the result
// settle to the same cent as the raw rows.
//
// What the query cannot read the way llamashare would, it does not guess:
// an amount outside SPEC 3's grammar, one with more decimals than the
// query's scale, a date that does not fit the format and a ledger kind the
// format does not name stop the query with an error naming the value. An
// unknown or empty host, an empty product or a bad currency code pass
// through as written, so that settling the result rejects the row loudly.
package sqlgen

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// Engines are the engines a query can be written for: the ones the test
// suite runs for real.
var Engines = []string{"duckdb", "postgres", "clickhouse"}

// EngineList is Engines for people: "duckdb, postgres or clickhouse".
func EngineList() string {
	return strings.Join(Engines[:len(Engines)-1], ", ") + " or " + Engines[len(Engines)-1]
}

// DefaultScale is the scale of the sums when Options.Scale is 0: enough for
// per-token prices; an amount with more decimals fails the query.
const DefaultScale = 6

// DefaultFrom is the table read when Options.From is empty.
const DefaultFrom = "revenue"

// Options says which query to write.
type Options struct {
	Agreement *agreement.Agreement
	Engine    string // one of Engines
	Format    string // "" or "canonical" for the canonical columns, else a declared format
	From      string // a table name, or (duckdb) a .csv/.tsv/.parquet path
	Scale     int    // decimals of every amount and sum (0 = DefaultScale)
}

// Generate returns the query, ending in a newline.
func Generate(o Options) (string, error) {
	var d dialect
	switch o.Engine {
	case "duckdb":
		d = duckdb{}
	case "postgres":
		d = postgres{}
	case "clickhouse":
	default:
		return "", fmt.Errorf("unknown engine %q (want %s)", o.Engine, EngineList())
	}
	scale := o.Scale
	if scale == 0 {
		scale = DefaultScale
	}
	if scale < 0 || scale > 30 {
		return "", fmt.Errorf("scale %d: want 0..30 decimals", o.Scale)
	}
	f, err := compile(o.Agreement, o.Format)
	if err != nil {
		return "", err
	}
	from := o.From
	if from == "" {
		from = DefaultFrom
	}
	g := &gen{d: d, f: f, a: o.Agreement, scale: scale}
	if o.Engine == "clickhouse" {
		return g.clickhouse(from)
	}
	return g.query(from, isPath(from))
}

// isPath tells a file path from a table name.
func isPath(s string) bool {
	l := strings.ToLower(strings.TrimSuffix(strings.ToLower(s), ".gz"))
	for _, ext := range []string{".csv", ".tsv", ".txt", ".parquet"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return strings.ContainsAny(s, `/\`)
}

type gen struct {
	d     dialect
	f     *format
	a     *agreement.Agreement
	scale int
}

// figures are the summed columns, in output order.
var figures = []string{"gross", "refunds", "taxes", "fees", "credits", "units"}

func (g *gen) query(from string, path bool) (string, error) {
	d, f := g.d, g.f
	src, err := d.source(from, path, f)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "-- llamashare sql --engine %s --format %s\n", d.name(), f.name)
	fmt.Fprintf(&b, "-- agreement %s sha256 %s\n", g.a.Path, g.a.SHA256)
	fmt.Fprintf(&b, "-- format %s; source %s\n", f.name, from)
	b.WriteString("-- Sums raw rows to SPEC 5's pre-aggregation grain (date, host, product, currency)\n")
	fmt.Fprintf(&b, "-- in exact DECIMAL(38, %d); settle the result with llamashare to the same cent.\n", g.scale)

	read := g.sourceStage(&b, src, path)
	g.keptStage(&b, read)
	dateGroups := g.matchedStage(&b)
	g.typedStage(&b, dateGroups)

	// The aggregate.
	out := []string{d.dateOut("d_") + ` AS "date"`, "host", "product", "currency"}
	dec := d.decimalType(g.scale)
	for _, fig := range figures {
		out = append(out, fmt.Sprintf("CAST(sum(%s) AS %s) AS %s", fig, dec, fig))
	}
	b.WriteString("SELECT " + strings.Join(out, ",\n       ") + "\nFROM typed\nGROUP BY d_, host, product, currency\nORDER BY d_, host, product, currency;\n")
	return b.String(), nil
}

// sourceStage writes stage 1, src: the columns the format reads, as
// trimmed text. It returns the aliases of the columns read.
func (g *gen) sourceStage(b *strings.Builder, src string, path bool) []string {
	d, f := g.d, g.f
	raw := []string{}
	var read []string // the aliases of the columns read
	col := func(alias, header string) {
		raw = append(raw, fmt.Sprintf("trim(coalesce(%s, '')) AS %s", d.column(header), alias))
		read = append(read, alias)
	}
	for _, fld := range f.fields() {
		col("c_"+fld, f.cols[fld])
	}
	if f.footer != "" {
		raw = append(raw, fmt.Sprintf("trim(coalesce(%s, '')) AS c_first_", d.firstField()))
	}
	if path && d.name() == "duckdb" {
		src = g.padMissing(src)
	}
	b.WriteString("WITH src AS (\n  SELECT " + strings.Join(raw, ",\n         ") + "\n  FROM " + src + "\n),\n")
	return read
}

// keptStage writes stage 2, rows_ and kept: the rows that are data, with
// the ledger kind resolved.
func (g *gen) keptStage(b *strings.Builder, read []string) {
	f := g.f
	var where []string
	empty := make([]string, len(read))
	for i, c := range read {
		empty[i] = c + " = ''"
	}
	where = append(where, "NOT ("+strings.Join(empty, " AND ")+")")
	if f.footer != "" {
		where = append(where, fmt.Sprintf("NOT (substr(c_first_, 1, %d) = %s)", len([]rune(f.footer)), quoteStr(f.footer)))
	}
	kept := "*"
	if f.ledger {
		kept = "*, " + g.kindExpr() + " AS k_"
		where = append(where, "(k_ IS NULL OR k_ <> 'ignore')")
	}
	b.WriteString("rows_ AS (\n  SELECT " + kept + " FROM src\n),\n")
	b.WriteString("kept AS (\n  SELECT * FROM rows_\n  WHERE " + strings.Join(where, "\n    AND ") + "\n),\n")
}

// matchedStage writes stage 3, matched: regular-expression captures,
// evaluated once per value. It returns the date capture's groups.
func (g *gen) matchedStage(b *strings.Builder) []string {
	d, f := g.d, g.f
	caps := []string{"*"}
	dateCap, dateGroups := g.dateCapture()
	if dateCap != "" {
		caps = append(caps, dateCap+" AS m_date")
	}
	amountCols := f.amountColumns()
	for _, c := range amountCols {
		// Plain numbers (most of them) skip the capturing match, which is
		// far slower than a yes/no one: p_ says which they are.
		plain := d.matches("c_"+c, g.plainPattern())
		caps = append(caps, plain+" AS p_"+c, fmt.Sprintf("CASE WHEN %s THEN NULL ELSE %s END AS m_%s",
			plain, d.captures("c_"+c, g.amountPattern(), amountGroups), c))
	}
	b.WriteString("matched AS (\n  SELECT " + strings.Join(caps, ",\n         ") + "\n  FROM kept\n),\n")
	return dateGroups
}

// typedStage writes stage 4, typed: the values parsed and typed.
func (g *gen) typedStage(b *strings.Builder, dateGroups []string) {
	dec := g.d.rowDecimalType(g.scale)
	vals := []string{
		g.dateExpr(dateGroups) + " AS d_",
		g.hostExpr() + " AS host",
		g.productExpr() + " AS product",
		g.currencyExpr() + " AS currency",
	}
	for _, fig := range figures {
		vals = append(vals, g.figureExpr(fig, dec)+" AS "+fig)
	}
	b.WriteString("typed AS (\n  SELECT " + strings.Join(vals, ",\n         ") + "\n  FROM matched\n)\n")
}

// padMissing lets a DuckDB file source lack the optional columns: they
// read as empty (zero), as llamashare reads a report without them.
func (g *gen) padMissing(src string) string {
	var pads []string
	for _, fld := range g.f.fields() {
		if g.f.required(fld) {
			continue
		}
		pads = append(pads, "CAST(NULL AS VARCHAR) AS "+quoteIdent(g.f.cols[fld]))
	}
	if len(pads) == 0 {
		return src
	}
	inner := strings.TrimSuffix(src, " AS t")
	return "(SELECT * FROM " + inner + "\n        UNION ALL BY NAME SELECT " + strings.Join(pads, ", ") + " WHERE false) AS t"
}

// kindExpr maps a ledger row's kind to the figure it fills ('ignore' or
// NULL for a kind the format does not name): an exact match first, then
// one ignoring case, as llamashare reads it.
func (g *gen) kindExpr() string {
	f := g.f
	var b strings.Builder
	b.WriteString("CASE c_kind")
	for _, k := range f.kindOrder {
		fmt.Fprintf(&b, " WHEN %s THEN %s", quoteStr(k), quoteStr(f.kinds[k]))
	}
	b.WriteString(" ELSE CASE lower(c_kind)")
	seen := map[string]bool{}
	for _, k := range f.kindOrder {
		lk := strings.ToLower(k)
		if seen[lk] {
			continue
		}
		seen[lk] = true
		fmt.Fprintf(&b, " WHEN %s THEN %s", quoteStr(lk), quoteStr(f.kinds[k]))
	}
	b.WriteString(" END END")
	return b.String()
}

func (g *gen) hostExpr() string {
	if g.f.host != "" {
		return quoteStr(g.f.host)
	}
	// Ids and aliases, case-insensitively; anything else passes through as
	// written, and settling the result rejects it as an unknown host.
	type pair struct{ name, id string }
	var ps []pair
	for _, h := range g.a.Hosts {
		ps = append(ps, pair{strings.ToLower(h.ID), h.ID})
		for _, al := range h.Aliases {
			ps = append(ps, pair{strings.ToLower(strings.TrimSpace(al)), h.ID})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].name < ps[j].name })
	var b strings.Builder
	b.WriteString("CASE lower(c_host)")
	for _, p := range ps {
		fmt.Fprintf(&b, " WHEN %s THEN %s", quoteStr(p.name), quoteStr(p.id))
	}
	b.WriteString(" ELSE c_host END")
	return b.String()
}

func (g *gen) productExpr() string {
	if len(g.f.products) == 0 {
		return "lower(c_product)"
	}
	var b strings.Builder
	b.WriteString("CASE lower(c_product)")
	for _, k := range slices.Sorted(maps.Keys(g.f.products)) {
		fmt.Fprintf(&b, " WHEN %s THEN %s", quoteStr(k), quoteStr(g.f.products[k]))
	}
	b.WriteString(" ELSE lower(c_product) END")
	return b.String()
}

func (g *gen) currencyExpr() string {
	cur := quoteStr(g.a.Currency)
	if g.f.cols["currency"] == "" {
		return cur
	}
	return "CASE WHEN c_currency = '' THEN " + cur + " ELSE upper(c_currency) END"
}
