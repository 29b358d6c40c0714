package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/textsafe"
)

// adjustmentKeys are the settlement fields a terminal table leaves out
// when they are zero in every row: most settlements have no minimum, cap,
// advance or carry-forward, and their six columns would push the table
// past the terminal's width.
var adjustmentKeys = []string{"minimum_topup", "cap_reduction", "advance_recouped", "advance_remaining", "carried_in", "carried_out", "prior_adjustments"}

// TermOptions describes the terminal a table is written to.
type TermOptions struct {
	Width int  // columns; 0 = 80
	Color bool // bold header and totals, negative amounts in red
}

// WriteTableTerm writes WriteTable's table for a person at a terminal:
// a title line with the periods and the currency, the adjustment columns
// that are zero in every row left out (a line under the table names
// them), and, when the table is still wider than the terminal, its columns
// split over several tables, each repeating Host and Period. Pipes and
// files get WriteTable's table, every column kept.
func WriteTableTerm(w io.Writer, doc *Document, scale int32, lines bool, o TermOptions) error {
	width := o.Width
	if width <= 0 {
		width = 80
	}
	g := pick(doc, scale, lines)
	var dropped []string
	if !lines {
		g, dropped = g.dropZero(adjustmentLabels())
	}
	var b strings.Builder
	title := "Settlement"
	if len(doc.Periods) > 0 {
		title += " " + strings.Join(doc.Periods, ", ")
	}
	if doc.Currency != "" {
		title += ", amounts in " + doc.Currency
	}
	b.WriteString(wrap(title, width))
	for i, part := range g.split(width, 2) {
		if i > 0 {
			b.WriteString("\n")
		}
		var t strings.Builder
		if err := part.render(&t, false); err != nil {
			return err
		}
		if o.Color {
			b.WriteString(colorize(t.String()))
		} else {
			b.WriteString(t.String())
		}
	}
	if len(dropped) > 0 {
		b.WriteString(wrap(fmt.Sprintf("Not shown, zero in every row: %s.", strings.Join(dropped, ", ")), width))
	}
	var adj strings.Builder
	if err := writeAdjustments(&adj, doc, scale, lines, false); err != nil {
		return err
	}
	if o.Color {
		b.WriteString(colorize(adj.String()))
	} else {
		b.WriteString(adj.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func adjustmentLabels() map[string]bool {
	out := map[string]bool{}
	for _, f := range append(settlementFields, priorAdjustmentsField) {
		for _, k := range adjustmentKeys {
			if f.key == k {
				out[f.label] = true
			}
		}
	}
	return out
}

// dropZero leaves out the columns named in labels whose every row is zero.
func (g grid) dropZero(labels map[string]bool) (grid, []string) {
	var keep []int
	var dropped []string
	for i, h := range g.header {
		if labels[h] && len(g.rows) > 0 && g.allZero(i) {
			dropped = append(dropped, h)
			continue
		}
		keep = append(keep, i)
	}
	return g.columns(keep), dropped
}

func (g grid) allZero(col int) bool {
	for _, r := range g.rows {
		d, err := decimal.NewFromString(strings.ReplaceAll(r[col], ",", ""))
		if err != nil || !d.IsZero() {
			return false
		}
	}
	return true
}

// columns is g with only the columns idx, in that order.
func (g grid) columns(idx []int) grid {
	pickRow := func(r []string) []string {
		if r == nil {
			return nil
		}
		out := make([]string, len(idx))
		for j, i := range idx {
			out[j] = r[i]
		}
		return out
	}
	out := grid{header: pickRow(g.header), footer: pickRow(g.footer)}
	out.numeric = make([]bool, len(idx))
	for j, i := range idx {
		out.numeric[j] = g.numeric[i]
	}
	for _, r := range g.rows {
		out.rows = append(out.rows, pickRow(r))
	}
	return out
}

// colWidth is the width column i takes in the ASCII table: its widest
// cell and "| " before, " " after.
func (g grid) colWidth(i int) int {
	w := utf8.RuneCountInString(textsafe.Terminal(g.header[i]))
	for _, r := range append(g.rows, g.footer) {
		if r != nil && utf8.RuneCountInString(textsafe.Terminal(r[i])) > w {
			w = utf8.RuneCountInString(textsafe.Terminal(r[i]))
		}
	}
	return w + 3
}

// split cuts g into tables no wider than width, each starting with the
// first keys columns; every table has at least one other column.
func (g grid) split(width, keys int) []grid {
	if keys > len(g.header) {
		keys = len(g.header)
	}
	base := 1
	var key []int
	for i := 0; i < keys; i++ {
		base += g.colWidth(i)
		key = append(key, i)
	}
	var parts []grid
	cur := append([]int(nil), key...)
	w := base
	for i := keys; i < len(g.header); i++ {
		cw := g.colWidth(i)
		if w+cw > width && len(cur) > keys {
			parts = append(parts, g.columns(cur))
			cur, w = append([]int(nil), key...), base
		}
		cur = append(cur, i)
		w += cw
	}
	if len(cur) > keys || len(parts) == 0 {
		parts = append(parts, g.columns(cur))
	}
	return parts
}

// wrap breaks text into lines of at most width columns, between words.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		l := utf8.RuneCountInString(word)
		if n > 0 && n+1+l > width {
			b.WriteString("\n")
			n = 0
		}
		if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += l
	}
	return b.String() + "\n"
}
