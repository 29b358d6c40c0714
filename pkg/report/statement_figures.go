package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// revenueFigures is a statement's revenue section, drawn from the
// revenue figures of settlementFields: gross, the deductible figures the
// terms deduct (positive, under a name that says it reduces: SPEC 8), the
// basis as a subtotal, then the deductible figures shown for information.
func revenueFigures(s *settle.Settlement, g func(decimal.Decimal) string) []Figure {
	var out, kept []Figure
	for _, f := range figureFields(partRevenue) {
		amount := g(f.figure(s))
		switch {
		case f.key == "basis":
			out = append(out, Figure{Label: f.statementLabel(), Amount: amount, Note: "revenue the share is taken on", Sub: true})
		case !slices.Contains(agreement.Deductibles, f.key):
			out = append(out, Figure{Label: f.statementLabel(), Amount: amount})
		case s.Terms != nil && s.Terms.Deducts(f.key):
			out = append(out, Figure{Label: f.statementLabel() + " deducted", Amount: amount, Note: "subtracted from gross under the terms"})
		default:
			kept = append(kept, Figure{Label: f.statementLabel(), Amount: amount, Note: "for information: not deducted", Muted: true})
		}
	}
	return append(out, kept...)
}

// adjustmentFigures lead from the share to the amount owed (a subtotal,
// before what is carried out), in the order of SPEC 5 steps 6 to 10,
// drawn from the adjustment figures of settlementFields. Every amount has
// the sign it has in the JSON: a reduction is positive and its label and
// note say that it is subtracted (SPEC 8).
func adjustmentFigures(s *settle.Settlement, g func(decimal.Decimal) string) []Figure {
	var out []Figure
	for _, f := range figureFields(partAdjustment) {
		if f.key == "carried_out" {
			out = append(out, Figure{Label: "Owed", Amount: g(s.Trace.Owed), Sub: true})
		}
		note, muted, shown := adjustmentNote(f.key, s, g)
		if !shown {
			continue
		}
		if strings.HasPrefix(note, "added: no ") || strings.HasPrefix(note, "subtracted: no ") {
			note = note[strings.Index(note, " ")+1:] // "no cap"
		}
		out = append(out, Figure{Label: f.statementLabel(), Amount: g(f.figure(s)), Note: note, Muted: muted})
	}
	return out
}

// adjustmentNote explains an adjustment figure on a statement: whether it
// is added or subtracted, and why; muted for a figure shown for
// information; not shown when the terms make it meaningless.
func adjustmentNote(key string, s *settle.Settlement, g func(decimal.Decimal) string) (note string, muted, shown bool) {
	t := s.Terms
	advance := t != nil && t.Advance != nil
	switch key {
	case "minimum_topup":
		return "added: " + minimumNote(t, s, g), false, true
	case "cap_reduction":
		return "subtracted: " + capNote(t, g), false, true
	case "advance_recouped":
		if !advance {
			return "subtracted: no advance", false, true
		}
		return fmt.Sprintf("subtracted: advance of %s received %s", g(t.Advance.Amount), period.FormatDate(t.Advance.Received)), false, true
	case "advance_remaining":
		return "for information: still to recoup after this period", true, advance
	case "carried_in":
		return "added: carried forward from the previous period", false, true
	case "carried_out":
		if s.CarriedOut.IsZero() {
			return "nothing carried forward", false, true
		}
		note = "subtracted: carried forward to the next period, not paid now"
		if s.CarriedOut.Sign() > 0 && t != nil {
			note += fmt.Sprintf(" (below the payout threshold of %s)", g(t.Payout.Threshold))
		}
		return note, false, true
	}
	return "", false, true
}

func minimumNote(t *agreement.Terms, s *settle.Settlement, g func(decimal.Decimal) string) string {
	if t == nil || t.Minimum == nil {
		return "no minimum"
	}
	note := fmt.Sprintf("minimum of %s per %s", g(t.Minimum.Amount), t.Minimum.Per)
	if req := s.Trace.MinimumRequired; req != nil {
		note += fmt.Sprintf("; %s required, %s earned", g(*req), g(s.Trace.MinimumShares))
	} else if t.Minimum.Per == agreement.PerYear {
		note += "; settled in the year's last period"
	}
	return note
}

func capNote(t *agreement.Terms, g func(decimal.Decimal) string) string {
	if t == nil || t.Cap == nil {
		return "no cap"
	}
	if t.Cap.Per == agreement.PerLifetime {
		return fmt.Sprintf("cap of %s over the terms version's lifetime", g(t.Cap.Amount))
	}
	return fmt.Sprintf("cap of %s per %s", g(t.Cap.Amount), t.Cap.Per)
}
