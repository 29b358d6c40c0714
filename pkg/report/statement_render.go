package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/llamashare/llamashare/pkg/textsafe"
)

//go:embed statement.html.tmpl
var statementHTML string

// statementTemplate escapes every value it prints (html/template).
var statementTemplate = template.Must(template.New("statement").Parse(statementHTML))

// WriteStatementHTML writes st as a self-contained HTML page: inline CSS,
// no scripts, images or other external resources, laid out to print on
// A4 or Letter.
func WriteStatementHTML(w io.Writer, st *Statement) error {
	return statementTemplate.Execute(w, st)
}

// WriteStatementMarkdown writes st as Markdown with the same content as
// the HTML statement.
func WriteStatementMarkdown(w io.Writer, st *Statement) error {
	var b strings.Builder
	writeHeadMarkdown(&b, st)
	writeRevenueMarkdown(&b, st)
	writeLinesMarkdown(&b, st)
	writePriorMarkdown(&b, st)
	writeSettlementMarkdown(&b, st)
	writeAccountMarkdown(&b, st)
	writeChartMarkdown(&b, st)
	writeFootMarkdown(&b, st)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHeadMarkdown writes the title and the statement's particulars.
func writeHeadMarkdown(b *strings.Builder, st *Statement) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# %s\n\n", mdEscape(st.Title()))
	if st.Licensor != "" {
		p("- **Licensor:** %s\n", mdEscape(st.Licensor))
	}
	if st.AgreementName != "" {
		p("- **Agreement:** %s\n", mdEscape(st.AgreementName))
	}
	p("- **Host:** %s (%s)\n", mdEscape(st.HostName), mdEscape(st.HostID))
	p("- **Period:** %s (%s to %s)\n", st.Period, st.PeriodStart, st.PeriodEnd)
	p("- **Currency:** %s\n", mdEscape(st.Currency))
	if st.Terms != "" {
		p("- **Terms:** %s\n", mdEscape(st.Terms))
	}
	if st.Paid {
		p("- **Amount payable:** %s %s, due %s\n", mdEscape(st.Currency), st.Payable, st.DueDate)
	} else {
		p("- **Amount payable:** %s %s; nothing payable, carried forward %s\n", mdEscape(st.Currency), st.Payable, st.CarriedOut)
	}
}

// writeRevenueMarkdown writes the "Revenue" section, and "Currencies"
// when some revenue was in other currencies.
func writeRevenueMarkdown(b *strings.Builder, st *Statement) {
	fmt.Fprintf(b, "\n## Revenue\n\n")
	t := mdTable{header: []string{"Figure", "Amount", "Note"}, right: []bool{false, true, false}}
	for _, f := range st.Revenue {
		t.add(mdFigure(f)...)
	}
	t.write(b)

	if len(st.Currencies) > 0 {
		fmt.Fprintf(b, "\n## Currencies\n\n")
		fmt.Fprintf(b, "Revenue reported in other currencies, converted to %s (effective rate = converted gross ÷ gross):\n\n", mdEscape(st.Currency))
		t = mdTable{header: []string{"Currency", "Gross", "Basis", "Rate", "Gross in " + st.Currency, "Basis in " + st.Currency},
			right: []bool{false, true, true, true, true, true}}
		for _, c := range st.Currencies {
			t.add(mdEscape(c.Currency), c.Gross, c.Basis, c.Rate, c.ConvertedGross, c.ConvertedBasis)
		}
		t.write(b)
	}
}

// writeLinesMarkdown writes the "Share lines" section: a band column
// when some line is a tier band, a units column when some is per unit.
func writeLinesMarkdown(b *strings.Builder, st *Statement) {
	fmt.Fprintf(b, "\n## Share lines\n\n")
	if len(st.Lines) == 0 {
		fmt.Fprintf(b, "No revenue reported for this period: no share lines.\n")
		return
	}
	t := mdTable{header: []string{"Rule", "Product"}, right: []bool{false, false}}
	if st.Bands {
		t.header = append(t.header, "Band")
		t.right = append(t.right, false)
	}
	t.header = append(t.header, "Basis")
	t.right = append(t.right, true)
	if st.Units {
		t.header = append(t.header, "Units")
		t.right = append(t.right, true)
	}
	t.header = append(t.header, "Rate or price", "Share")
	t.right = append(t.right, true, true)
	for _, l := range st.Lines {
		product := mdEscape(l.Product)
		if l.Note != "" {
			product += " (" + mdEscape(l.Note) + ")"
		}
		row := []string{mdEscape(l.Rule), product}
		if st.Bands {
			row = append(row, mdEscape(l.Band))
		}
		row = append(row, l.Basis)
		if st.Units {
			row = append(row, l.Units)
		}
		t.add(append(row, mdEscape(l.Rate), l.Share)...)
	}
	total := make([]string, len(t.header))
	total[0], total[len(total)-1] = "**Share**", "**"+st.Share+"**"
	t.add(total...)
	t.write(b)
}

// writeSettlementMarkdown writes the "Settlement" section: from the share
// through the adjustments to the amount payable.
func writeSettlementMarkdown(b *strings.Builder, st *Statement) {
	fmt.Fprintf(b, "\n## Settlement\n\n")
	t := mdTable{header: []string{"Step", "Amount", "Note"}, right: []bool{false, true, false}}
	t.add("Share", st.Share, "sum of the share lines")
	for _, f := range st.Adjustments {
		t.add(mdFigure(f)...)
	}
	if st.Paid {
		t.add("**Amount payable**", "**"+st.Payable+"**", fmt.Sprintf("due %s (%d days after the period)", st.DueDate, st.DueDays))
	} else {
		t.add("**Amount payable**", "**"+st.Payable+"**", "nothing payable; carried forward "+st.CarriedOut)
	}
	t.write(b)
}

// writeFootMarkdown writes the provenance: agreement, inputs and fx rates
// with their SHA-256, the rounding and the tool.
func writeFootMarkdown(b *strings.Builder, st *Statement) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("\n---\n\n")
	agreement := mdEscape(st.AgreementPath)
	if st.AgreementName != "" {
		agreement = mdEscape(st.AgreementName) + ", " + agreement
	}
	p("- Agreement: %s, SHA-256 `%s`\n", agreement, st.AgreementSHA256)
	for _, in := range st.Inputs {
		p("- Input: %s, SHA-256 `%s`\n", mdEscape(in.Path), in.SHA256)
	}
	if st.FX != nil {
		p("- FX rates: %s, SHA-256 `%s`\n", mdEscape(fxText(st.FX)), st.FX.SHA256)
	}
	p("\nAmounts in %s, computed with exact decimal arithmetic and rounded %s. Prepared with %s.\n",
		mdEscape(st.Currency), st.Rounding, mdEscape(st.Tool))
}

// mdFigure is a figure's table row; a subtotal is bold.
func mdFigure(f Figure) []string {
	label, amount := mdEscape(f.Label), f.Amount
	if f.Sub {
		label, amount = "**"+label+"**", "**"+amount+"**"
	}
	return []string{label, amount, mdEscape(f.Note)}
}

// mdTable is a GitHub-flavoured Markdown table padded for reading as text.
type mdTable struct {
	header []string
	right  []bool
	rows   [][]string
}

func (t *mdTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *mdTable) write(b *strings.Builder) {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c), 3)
		}
	}
	line := func(cells []string) {
		b.WriteString("|")
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if t.right[i] {
				b.WriteString(" " + pad + c + " |")
			} else {
				b.WriteString(" " + c + pad + " |")
			}
		}
		b.WriteString("\n")
	}
	line(t.header)
	b.WriteString("|")
	for i, w := range widths {
		if t.right[i] {
			b.WriteString(" " + strings.Repeat("-", w-1) + ": |")
		} else {
			b.WriteString(" " + strings.Repeat("-", w) + " |")
		}
	}
	b.WriteString("\n")
	for _, row := range t.rows {
		line(row)
	}
}

// mdEscape escapes the characters Markdown would read as markup, so a
// host or product name prints as written.
func mdEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~':
			b.WriteByte('\\')
		case '&':
			// Only an entity reference (&amp; &#38;) needs it.
			if i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '#') {
				b.WriteByte('\\')
			}
		case '\n', '\r':
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return textsafe.Terminal(b.String())
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
