package report

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/settle"
)

// PriorLine is one prior-period adjustment on a statement (SPEC 9).
type PriorLine struct {
	Period     string
	Settled    string
	Restated   string
	Adjustment string
	Files      string // the late or replacing reports behind it, comma-separated
}

// ledgerFigures adds a ledger run's prior-period adjustments to a
// statement: the section's lines, and in the settlement the own payable,
// the adjustments' total and any shortfall left outstanding.
func ledgerFigures(st *Statement, s *settle.Settlement, g func(decimal.Decimal) string) {
	lf := s.Ledger
	if lf == nil || len(lf.Adjustments) == 0 && lf.PriorAdjustments.IsZero() {
		// Nothing restated: the statement reads as one made without a
		// ledger, so a period's statement issued before its close and the
		// one re-rendered from the ledger are the same bytes (SPEC 9).
		return
	}
	st.Ledger = true
	for _, a := range lf.Adjustments {
		files := strings.Join(a.Files, ", ")
		if files == "" {
			files = "restated under the current agreement"
		}
		st.Prior = append(st.Prior, PriorLine{Period: a.Period.String(), Settled: g(a.Settled), Restated: g(a.Restated),
			Adjustment: g(a.Adjustment), Files: files})
	}
	st.PriorTotal = g(lf.PriorAdjustments)
	st.Adjustments = append(st.Adjustments,
		Figure{Label: "Payable for this period", Amount: g(lf.OwnPayable), Sub: true},
		Figure{Label: "Prior-period adjustments", Amount: g(lf.PriorAdjustments), Note: "added: see Prior-period adjustments"})
	if short := lf.OwnPayable.Add(lf.PriorAdjustments); short.Sign() < 0 {
		st.Adjustments = append(st.Adjustments, Figure{Label: "Shortfall outstanding", Amount: g(short.Neg()),
			Note: "for information: adjustments beyond this period's payable, taken from the next period's", Muted: true})
	}
}

// writePriorMarkdown writes the "Prior-period adjustments" section.
func writePriorMarkdown(b *strings.Builder, st *Statement) {
	if !st.Ledger {
		return
	}
	fmt.Fprintf(b, "\n## Prior-period adjustments\n\n")
	t := mdTable{header: []string{"Period", "Settled", "Restated", "Adjustment", "Reports"}, right: []bool{false, true, true, true, false}}
	for _, l := range st.Prior {
		t.add(l.Period, l.Settled, l.Restated, l.Adjustment, mdEscape(l.Files))
	}
	t.add("**Total**", "", "", "**"+st.PriorTotal+"**", "")
	t.write(b)
}
