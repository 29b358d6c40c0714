package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
	"github.com/llamashare/llamashare/pkg/textsafe"
)

// WriteExplain writes, for every settlement of res, the derivation of
// SPEC 5 step by step: products and their sums, basis, each line with its
// band and window position, then minimum, cap, advance, carry-forward and
// the payable amount. The text is plain and stable, for terminals, files
// and diffs alike.
func WriteExplain(w io.Writer, res *settle.Result) error {
	ag := res.Agreement
	e := &explainer{ag: ag, r: ag.Rounding, fx: res.FX}
	for i, s := range res.Settlements {
		if i > 0 {
			e.printf("\n")
		}
		e.settlement(s)
	}
	if len(res.Settlements) == 0 {
		e.printf("no settlements: the host's terms cover none of the requested periods\n")
	}
	// Names come from partners: their control characters are escaped
	// (textsafe), the explanation's own newlines kept.
	_, err := io.WriteString(w, textsafe.TerminalText(e.b.String()))
	return err
}

type explainer struct {
	ag *agreement.Agreement
	fx *settle.FXSource
	r  money.Rounding
	b  strings.Builder
}

func (e *explainer) printf(format string, args ...any) { fmt.Fprintf(&e.b, format, args...) }

// m formats an amount at the agreement's scale with thousands separators.
func (e *explainer) m(d decimal.Decimal) string { return money.Group(d, e.r.Scale) }

// settlement prints one settlement's derivation. Its figures are read
// through settlementFields (figures), like every other output's.
func (e *explainer) settlement(s *settle.Settlement) {
	v := figures(s, e.m)
	e.head(s)
	e.products(s, v)
	e.lines(s, v)
	e.minimumAndCap(s, v)
	e.owed(s, v)
	if e.ledger(s) {
		return
	}
	if s.DueDate != nil {
		e.printf("8. payable %s, due %s (%d days after %s)\n", v["payable"], period.FormatDate(*s.DueDate), s.Terms.Payout.DueDays, period.FormatDate(s.Period.End()))
	} else {
		e.printf("8. payable %s\n", v["payable"])
	}
}

// head names the settlement and its terms.
func (e *explainer) head(s *settle.Settlement) {
	ag, t := e.ag, s.Terms
	e.printf("%s — %s, %s (%s to %s), in %s\n", s.Host.ID, s.Host.DisplayName(), s.Period,
		period.FormatDate(s.Period.Start()), period.FormatDate(s.Period.End()), ag.Currency)
	to := "open-ended"
	if !t.To.IsZero() {
		to = "to " + t.To.String()
	}
	deduct := "nothing (gross basis)"
	if len(t.Deduct) > 0 {
		deduct = strings.Join(t.Deduct, ", ")
	}
	e.printf("terms: version from %s, %s; deducts %s; rounding %s to %d places\n", t.From, to, deduct, e.r.Mode, e.r.Scale)
}

// products is step 1: each product's sums and basis, then the basis.
func (e *explainer) products(s *settle.Settlement, v map[string]string) {
	t := s.Terms
	e.printf("\n1. products (each sum converted to %s and rounded)\n", e.ag.Currency)
	if len(s.Products) == 0 {
		e.printf("   no rows in this period\n")
	}
	for i := range s.Products {
		p := &s.Products[i]
		rows := "rows"
		if p.Rows == 1 {
			rows = "row"
		}
		e.printf("   %s (rule %s, %d %s): gross %s", p.Product, p.Rule.Name, p.Rows, rows, e.m(p.Gross))
		for _, d := range agreement.Deductibles {
			if v := p.Figure(d); !v.IsZero() || t.Deducts(d) {
				sign := ""
				if t.Deducts(d) {
					sign = " (deducted)"
				}
				e.printf(", %s %s%s", d, e.m(v), sign)
			}
		}
		if !p.Units.IsZero() {
			e.printf(", units %s", money.GroupPlain(p.Units))
		}
		e.printf(" → basis %s\n", e.m(p.Basis))
	}
	e.printf("   basis = %s\n", v["basis"])
	e.currencies(s)
}

// lines is step 2: each rule scope's lines, then their sum, the share.
func (e *explainer) lines(s *settle.Settlement, v map[string]string) {
	e.printf("\n2. lines\n")
	if len(s.Lines) == 0 {
		e.printf("   none\n")
	}
	for _, sc := range s.Trace.Scopes {
		e.scope(s, sc)
	}
	var sum strings.Builder
	for i, l := range s.Lines {
		switch {
		case i == 0:
			sum.WriteString(e.m(l.Share))
		case l.Share.Sign() < 0:
			sum.WriteString(" − " + e.m(l.Share.Neg()))
		default:
			sum.WriteString(" + " + e.m(l.Share))
		}
	}
	if len(s.Lines) > 1 {
		e.printf("   share = %s = %s\n", sum.String(), v["share"])
	} else {
		e.printf("   share = %s\n", v["share"])
	}
}

// minimumAndCap are steps 3 and 4: the minimum's top-up and the cap's
// reduction.
func (e *explainer) minimumAndCap(s *settle.Settlement, v map[string]string) {
	t := s.Terms
	e.printf("\n3. minimum: ")
	switch {
	case t.Minimum == nil:
		e.printf("none\n")
	case s.Trace.MinimumRequired == nil:
		e.printf("%s per year, trued up in the version's last period of the year; nothing this period\n", e.m(t.Minimum.Amount))
	case t.Minimum.Per == agreement.PerYear:
		e.printf("%s per year × %d/%d periods = %s required; shares this year %s → top-up %s\n",
			e.m(t.Minimum.Amount), s.Trace.MinimumPeriods, s.Period.Kind.PerYear(), e.m(*s.Trace.MinimumRequired),
			e.m(s.Trace.MinimumShares), v["minimum_topup"])
	default:
		e.printf("%s per period; share %s → top-up %s\n", e.m(*s.Trace.MinimumRequired), v["share"], v["minimum_topup"])
	}

	e.printf("4. cap: ")
	if t.Cap == nil {
		e.printf("none\n")
	} else {
		e.printf("%s per %s; share + top-up in the window so far %s, reduced earlier %s → reduction %s\n",
			e.m(t.Cap.Amount), t.Cap.Per, e.m(s.Trace.CapWindowSum), e.m(s.Trace.CapEarlier), v["cap_reduction"])
	}
}

// owed are steps 5 to 7: what is due, the advance recouped from it, and
// what is owed with the carry-forward.
func (e *explainer) owed(s *settle.Settlement, v map[string]string) {
	t := s.Terms
	e.printf("5. due = share %s + top-up %s − cap %s = %s\n", v["share"], v["minimum_topup"], v["cap_reduction"], e.m(s.Trace.Due))
	e.printf("6. advance: ")
	if t.Advance == nil {
		e.printf("none\n")
	} else {
		e.printf("%s remaining → recouped %s, %s remaining\n", e.m(s.Trace.AdvanceBefore), v["advance_recouped"], v["advance_remaining"])
	}
	e.printf("7. owed = due %s − recouped %s + carried in %s = %s", e.m(s.Trace.Due), v["advance_recouped"], v["carried_in"], e.m(s.Trace.Owed))
	switch {
	case s.Trace.Owed.Sign() < 0:
		e.printf("; negative, carried forward %s\n", v["carried_out"])
	case s.Trace.BelowThreshold:
		e.printf("; below the payout threshold %s, carried forward %s\n", e.m(t.Payout.Threshold), v["carried_out"])
	default:
		e.printf("; threshold %s reached\n", e.m(t.Payout.Threshold))
	}
}

// scope prints one rule scope's lines: a rate or price per product, or the
// tier bands with the window position before and after.
func (e *explainer) scope(s *settle.Settlement, sc settle.Scope) {
	rule := sc.Rule
	var ls []settle.Line
	for _, l := range s.Lines {
		if l.Rule == rule && l.Product == sc.Product {
			ls = append(ls, l)
		}
	}
	note := ""
	if sc.DeMinimis {
		note = fmt.Sprintf(" — basis %s is below the de minimis %s: share 0", e.m(sc.Basis), e.m(*rule.DeMinimis))
	}
	switch {
	case rule.Rate != nil:
		l := ls[0]
		e.printf("   %s, %s: %s × %s = %s%s\n", rule.Name, l.Product, e.m(l.Basis), rule.Rate, e.m(l.Share), note)
	case rule.PerUnit != nil:
		l := ls[0]
		e.printf("   %s, %s: %s units × %s = %s%s\n", rule.Name, l.Product, money.GroupPlain(l.Units),
			perUnitText(rule.PerUnit.Price, rule.PerUnit.Per), e.m(l.Share), note)
	default:
		tiers := rule.Tiers
		e.printf("   %s, %s: tiers %s, window %s, scope %s; basis %s", rule.Name, sc.Product, tiers.Mode, tiers.Window, tiers.Scope, e.m(sc.Basis))
		if tiers.Mode == agreement.Graduated {
			e.printf("; window position %s → %s", e.m(sc.Before), e.m(sc.Before.Add(sc.Basis)))
		}
		e.printf("%s\n", note)
		mark := ""
		if sc.DeMinimis {
			mark = " (de minimis)"
		}
		for _, l := range ls {
			e.printf("     band %d %s: %s × %s = %s%s\n", l.Band, bandRange(e, tiers, l.Band), e.m(l.Basis), l.Rate, e.m(l.Share), mark)
		}
	}
}

func bandRange(e *explainer, t *agreement.Tiers, band int) string {
	lo, hi := "…", "…)"
	if band > 1 {
		lo = e.m(*t.Bands[band-2].UpTo)
	}
	if u := t.Bands[band-1].UpTo; u != nil {
		hi = e.m(*u) + "]"
	}
	return "(" + lo + ", " + hi
}
