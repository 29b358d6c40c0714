package report

import (
	"strings"

	"github.com/llamashare/llamashare/pkg/settle"
)

// ledger prints how a ledger run (SPEC 9) goes from the period's own
// payable to the payable issued: each closed period restated against what
// was settled for it, and the max(0, …) rule.
func (e *explainer) ledger(s *settle.Settlement) bool {
	lf := s.Ledger
	if lf == nil {
		return false
	}
	e.printf("8. own payable %s (steps 1-7 under the restated state)\n", e.m(lf.OwnPayable))
	if len(lf.Adjustments) == 0 {
		e.printf("9. prior-period adjustments: none (every closed period restates to what was settled)\n")
	} else {
		e.printf("9. prior-period adjustments:\n")
		for _, a := range lf.Adjustments {
			from := "restated under the current agreement"
			if len(a.Files) > 0 {
				from = "late or replacing reports " + strings.Join(a.Files, ", ")
			}
			e.printf("   %s: restated %s − settled %s = %s (%s)\n", a.Period, e.m(a.Restated), e.m(a.Settled), e.m(a.Adjustment), from)
		}
		e.printf("   total %s\n", e.m(lf.PriorAdjustments))
	}
	sum := lf.OwnPayable.Add(lf.PriorAdjustments)
	e.printf("10. payable = max(0, %s + %s) = %s", e.m(lf.OwnPayable), e.m(lf.PriorAdjustments), e.m(s.Payable))
	if sum.Sign() < 0 {
		e.printf("; shortfall %s outstanding, taken from the next period's", e.m(sum.Neg()))
	}
	if s.DueDate != nil {
		e.printf(", due %s\n", s.DueDate.Format("2006-01-02"))
	} else {
		e.printf("\n")
	}
	return true
}
