package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/textsafe"
)

// grid is a table before rendering: header, rows, footer and which columns
// hold numbers (right-aligned).
type grid struct {
	header  []string
	rows    [][]string
	footer  []string
	numeric []bool
}

// summaryGrid lays out one row per settlement with a totals row that
// totals every money column. Amounts keep the JSON's sign: reductions
// are positive under headers that say they reduce (SPEC 8).
func summaryGrid(doc *Document, scale int32) grid {
	fields := peopleFields(doc)
	var g grid
	for _, f := range fields {
		g.header = append(g.header, f.label)
		g.numeric = append(g.numeric, f.kind == kindMoney)
	}
	var raw [][]string
	for i := range doc.Settlements {
		raw = append(raw, fieldRow(fields, &doc.Settlements[i]))
	}
	g.footer = columnTotals(fields, raw, scale)
	for _, r := range append(raw, g.footer) {
		for i, f := range fields {
			if f.kind == kindMoney {
				r[i] = group(r[i], scale)
			}
		}
	}
	g.rows = raw
	return g
}

// linesGrid lays out one row per share line.
func linesGrid(doc *Document, scale int32) grid {
	g := grid{
		header:  []string{"Host", "Period", "Rule", "Product", "Band", "Basis", "Units", "Rate", "Share"},
		numeric: []bool{false, false, false, false, true, true, true, true, true},
	}
	for _, s := range doc.Settlements {
		for _, l := range s.Lines {
			rate := ""
			if l.Rate != nil {
				rate = *l.Rate
			} else if l.Price != nil {
				rate = perUnitTextOf(*l.Price, l.Per)
			}
			g.rows = append(g.rows, []string{s.Host, s.Period, l.Rule, l.Product, optInt(l.Band),
				group(l.Basis, scale), groupUnits(l.Units), rate, group(l.Share, scale)})
		}
	}
	t := doc.Totals
	g.footer = []string{"Total", "", "", "", "", group(t.Basis, scale), "", "", group(t.Share, scale)}
	return g
}

// perUnitTextOf is perUnitText for a document's price and divisor texts.
func perUnitTextOf(price string, per *string) string {
	p, err1 := decimal.NewFromString(price)
	d, err2 := decimal.NewFromString(str(per))
	if err1 != nil || err2 != nil {
		return price + " per unit"
	}
	return perUnitText(p, d)
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

// group re-formats a fixed-scale amount with thousands separators.
func group(s string, scale int32) string {
	d, err := money.ParseAmount(s, '.')
	if err != nil {
		return s
	}
	return money.Group(d, scale)
}

// groupUnits groups a units sum's thousands and keeps the places it was
// read with (SPEC 8: the sum read), as statements and explain print it.
func groupUnits(s string) string {
	d, err := money.ParseAmount(s, '.')
	if err != nil {
		return s
	}
	return money.GroupPlain(d)
}

func (g grid) render(w io.Writer, markdown bool) error {
	align := make(tw.Alignment, len(g.header))
	for i, n := range g.numeric {
		align[i] = tw.AlignLeft
		if n {
			align[i] = tw.AlignRight
		}
	}
	var r tw.Renderer
	if markdown {
		r = renderer.NewMarkdown()
	} else {
		r = renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})
	}
	table := tablewriter.NewTable(w,
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithFooterAutoFormat(tw.Off),
		tablewriter.WithAlignment(align),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
	)
	// Partner text reaches the terminal with its control characters
	// escaped (textsafe.Terminal); Markdown escapes its markup too.
	cells := func(row []string) []any {
		out := make([]any, len(row))
		for i, c := range row {
			out[i] = textsafe.Terminal(c)
		}
		return out
	}
	if markdown {
		cells = func(row []string) []any {
			out := make([]any, len(row))
			for i, c := range row {
				out[i] = mdEscape(c)
			}
			return out
		}
	}
	table.Header(cells(g.header)...)
	for _, row := range g.rows {
		if err := table.Append(cells(row)...); err != nil {
			return err
		}
	}
	if len(g.footer) > 0 {
		footer := g.footer
		if markdown {
			// Markdown has no footer: the totals row is bold instead.
			footer = make([]string, len(g.footer))
			for i, c := range g.footer {
				if c != "" {
					footer[i] = "**" + mdEscape(c) + "**"
				}
			}
			return renderWith(table.Append(toAny(footer)...), table)
		}
		table.Footer(cells(footer)...)
	}
	return table.Render()
}

func renderWith(err error, table *tablewriter.Table) error {
	if err != nil {
		return err
	}
	return table.Render()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// WriteTable writes the settlements (or, with lines, the share lines) as a
// plain-text table for people.
func WriteTable(w io.Writer, doc *Document, scale int32, lines bool) error {
	if err := pick(doc, scale, lines).render(w, false); err != nil {
		return err
	}
	return writeAdjustments(w, doc, scale, lines, false)
}

// WriteTableColor writes the table of WriteTable for a terminal: header
// and totals rows in bold, negative amounts in red. Only escape sequences
// are added; without them the text is WriteTable's, byte for byte.
func WriteTableColor(w io.Writer, doc *Document, scale int32, lines bool) error {
	var b strings.Builder
	if err := WriteTable(&b, doc, scale, lines); err != nil {
		return err
	}
	_, err := io.WriteString(w, colorize(b.String()))
	return err
}

// ANSI SGR sequences.
const (
	sgrBold    = "\x1b[1m"
	sgrRed     = "\x1b[31m"
	sgrBoldRed = "\x1b[1;31m"
	sgrReset   = "\x1b[0m"
)

// colorize decorates a rendered ASCII table: its first row (the header)
// and last row (the totals) in bold, negative amounts in red.
func colorize(table string) string {
	lines := strings.SplitAfter(table, "\n")
	var rows []int
	for i, l := range lines {
		if strings.HasPrefix(l, "|") {
			rows = append(rows, i)
		}
	}
	for k, i := range rows {
		bold := k == 0 || (k == len(rows)-1 && len(rows) > 1)
		lines[i] = colorRow(lines[i], bold)
	}
	return strings.Join(lines, "")
}

// colorRow wraps the text of each cell of a table line ("| a | b |\n").
func colorRow(line string, bold bool) string {
	cells := strings.Split(line, "|")
	for i := 1; i < len(cells)-1; i++ {
		c := cells[i]
		text := strings.TrimSpace(c)
		if text == "" {
			continue
		}
		sgr := ""
		switch {
		case isNegativeAmount(text) && bold:
			sgr = sgrBoldRed
		case isNegativeAmount(text):
			sgr = sgrRed
		case bold:
			sgr = sgrBold
		default:
			continue
		}
		at := strings.Index(c, text)
		cells[i] = c[:at] + sgr + text + sgrReset + c[at+len(text):]
	}
	return strings.Join(cells, "|")
}

// isNegativeAmount reports whether s reads like -1,234.56.
func isNegativeAmount(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	digits := false
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r == ',' || r == '.':
		default:
			return false
		}
	}
	return digits
}

// WriteMarkdown writes the same table as Markdown (GitHub flavour): a
// heading, the agreement and inputs it was computed from, and the table
// with a bold totals row. Text cells are escaped.
func WriteMarkdown(w io.Writer, doc *Document, scale int32, lines bool) error {
	var b strings.Builder
	title := "Settlement"
	if len(doc.Periods) > 0 {
		title += " " + strings.Join(doc.Periods, ", ")
	}
	if doc.Currency != "" {
		title += " (" + doc.Currency + ")"
	}
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(title))
	if doc.Agreement.Path != "" {
		fmt.Fprintf(&b, "Agreement %s, sha256 `%s`.", mdEscape(doc.Agreement.Path), doc.Agreement.SHA256)
		for i, in := range doc.Inputs {
			sep := " Inputs: "
			if i > 0 {
				sep = ", "
			}
			fmt.Fprintf(&b, "%s%s", sep, mdEscape(in.Path))
		}
		if len(doc.Inputs) > 0 {
			b.WriteString(".")
		}
		if doc.FX != nil {
			fmt.Fprintf(&b, " FX rates %s, sha256 `%s`.", mdEscape(fxText(doc.FX)), doc.FX.SHA256)
		}
		b.WriteString("\n\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if err := pick(doc, scale, lines).render(w, true); err != nil {
		return err
	}
	return writeAdjustments(w, doc, scale, lines, true)
}

func pick(doc *Document, scale int32, lines bool) grid {
	if lines {
		return linesGrid(doc, scale)
	}
	return summaryGrid(doc, scale)
}
