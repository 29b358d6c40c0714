package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/llamashare/llamashare/pkg/money"
)

// grid is a table before rendering: header, rows, footer and which columns
// hold numbers (right-aligned).
type grid struct {
	header  []string
	rows    [][]string
	footer  []string
	numeric []bool
}

// summaryGrid lays out one row per settlement with a totals row.
func summaryGrid(doc *Document, scale int32) grid {
	g := grid{
		header:  []string{"Host", "Period", "Gross", "Basis", "Share", "Min top-up", "Cap", "Advance", "Carried in", "Carried out", "Payable", "Due date"},
		numeric: []bool{false, false, true, true, true, true, true, true, true, true, true, false},
	}
	for _, s := range doc.Settlements {
		due := ""
		if s.DueDate != nil {
			due = *s.DueDate
		}
		g.rows = append(g.rows, []string{s.Host, s.Period,
			group(s.Gross, scale), group(s.Basis, scale), group(s.Share, scale), group(s.MinimumTopup, scale),
			negated(s.CapReduction, scale), negated(s.AdvanceRecouped, scale), group(s.CarriedIn, scale),
			group(s.CarriedOut, scale), group(s.Payable, scale), due})
	}
	t := doc.Totals
	g.footer = []string{"Total", "", group(t.Gross, scale), group(t.Basis, scale), group(t.Share, scale), "", "", "", "", "", group(t.Payable, scale), ""}
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
				rate = *l.Price + "/unit"
			}
			g.rows = append(g.rows, []string{s.Host, s.Period, l.Rule, l.Product, optInt(l.Band),
				group(l.Basis, scale), l.Units, rate, group(l.Share, scale)})
		}
	}
	t := doc.Totals
	g.footer = []string{"Total", "", "", "", "", group(t.Basis, scale), "", "", group(t.Share, scale)}
	return g
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

// negated shows a deduction as a negative amount, and zero as zero.
func negated(s string, scale int32) string {
	d, err := money.ParseAmount(s, '.')
	if err != nil || d.IsZero() {
		return group(s, scale)
	}
	return money.Group(d.Neg(), scale)
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
	table.Header(toAny(g.header)...)
	for _, row := range g.rows {
		if err := table.Append(toAny(row)...); err != nil {
			return err
		}
	}
	if len(g.footer) > 0 {
		table.Footer(toAny(g.footer)...)
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
	return pick(doc, scale, lines).render(w, false)
}

// WriteMarkdown writes the same table as Markdown.
func WriteMarkdown(w io.Writer, doc *Document, scale int32, lines bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Settlement %s (%s)\n\n", strings.Join(doc.Periods, ", "), doc.Currency)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return pick(doc, scale, lines).render(w, true)
}

func pick(doc *Document, scale int32, lines bool) grid {
	if lines {
		return linesGrid(doc, scale)
	}
	return summaryGrid(doc, scale)
}
