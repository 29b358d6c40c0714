package report

import (
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// ChartPeriods is how many periods a statement's chart shows, at most:
// the statement's own and the ones before it.
const ChartPeriods = 8

// HistoryPoint is one host's figures for one period, as plotted.
type HistoryPoint struct {
	Host    string
	Period  period.Period
	Basis   decimal.Decimal
	Share   decimal.Decimal
	Payable decimal.Decimal
}

// Chart is a statement's picture: an inline SVG (no script, no external
// file or reference; grey, white and black with outlines rather than
// colours, so it prints in black and white)
// and, as its text alternative, the same figures as a table.
type Chart struct {
	SVG     template.HTML
	Rows    []ChartRow
	Windows []WindowClimb
}

// ChartRow is one plotted period, as text.
type ChartRow struct {
	Period, Basis, Share, Payable string
	Current                       bool // the statement's own period
}

// WindowClimb is how far a tier window (year or lifetime) has climbed
// through its bands by the end of the statement's period.
type WindowClimb struct {
	Rule   string // rule name, and product for a product-scoped tier
	Window string // "year 2025" or "lifetime since 2025-Q1"
	Before decimal.Decimal
	Total  decimal.Decimal // before + this period
	Band   int             // 1-based band the total has reached
	Bands  []agreement.Band
	Text   string // a sentence saying the same
}

// historyOf collects every settlement of res as history points.
func historyOf(res *settle.Result) []HistoryPoint {
	var out []HistoryPoint
	for _, s := range res.Settlements {
		out = append(out, HistoryPoint{Host: s.Host.ID, Period: s.Period, Basis: s.Basis, Share: s.Share, Payable: s.Payable})
	}
	return out
}

// SetHistory redraws every statement's chart with history added to the
// run's own settlements (issued figures of closed periods from a ledger,
// say); a point of the run wins over one of history for the same host and
// period.
func SetHistory(sts []*Statement, res *settle.Result, history []HistoryPoint) {
	addCharts(sts, res, append(historyOf(res), history...))
}

// addCharts draws each statement's chart from points.
func addCharts(sts []*Statement, res *settle.Result, points []HistoryPoint) {
	type key struct {
		host string
		p    period.Period
	}
	seen := map[key]bool{}
	byHost := map[string][]HistoryPoint{}
	for _, pt := range points {
		k := key{pt.Host, pt.Period}
		if seen[k] {
			continue
		}
		seen[k] = true
		byHost[pt.Host] = append(byHost[pt.Host], pt)
	}
	for _, pts := range byHost {
		sort.Slice(pts, func(i, j int) bool { return pts[i].Period.Before(pts[j].Period) })
	}
	scale := res.Agreement.Rounding.Scale
	settled := map[key]*settle.Settlement{}
	for _, s := range res.Settlements {
		settled[key{s.Host.ID, s.Period}] = s
	}
	for _, st := range sts {
		var shown []HistoryPoint
		for _, pt := range byHost[st.HostID] {
			if !pt.Period.After(periodOf(st)) {
				shown = append(shown, pt)
			}
		}
		if len(shown) > ChartPeriods {
			shown = shown[len(shown)-ChartPeriods:]
		}
		var windows []WindowClimb
		if s := settled[key{st.HostID, periodOf(st)}]; s != nil {
			windows = windowClimbs(s, scale)
		}
		st.Chart = drawChart(st, shown, windows, scale)
	}
}

// periodOf is the statement's period.
func periodOf(st *Statement) period.Period {
	p, _ := period.Parse(st.Period)
	return p
}

// windowClimbs lists the tiered scopes of s whose window outlives the
// period.
func windowClimbs(s *settle.Settlement, scale int32) []WindowClimb {
	var out []WindowClimb
	for _, sc := range s.Trace.Scopes {
		t := sc.Rule.Tiers
		if t == nil || t.Mode == agreement.Volume || (t.Window != agreement.WindowYear && t.Window != agreement.WindowLifetime) {
			continue
		}
		w := WindowClimb{Rule: sc.Rule.Name, Before: sc.Before, Total: sc.Before.Add(sc.Basis), Bands: t.Bands, Band: len(t.Bands)}
		if sc.Product != "*" {
			w.Rule += " (" + sc.Product + ")"
		}
		if t.Window == agreement.WindowYear {
			w.Window = fmt.Sprintf("year %d", s.Period.Start().Year())
		} else if s.Terms != nil {
			w.Window = "lifetime since " + s.Terms.From.String()
		} else {
			w.Window = "lifetime"
		}
		for k, b := range t.Bands {
			if b.UpTo != nil && w.Total.Cmp(*b.UpTo) <= 0 {
				w.Band = k + 1
				break
			}
		}
		b := t.Bands[w.Band-1]
		next := ""
		if b.UpTo != nil {
			next = fmt.Sprintf("; %s more reaches band %d", money.Group(b.UpTo.Sub(w.Total), scale), w.Band+1)
		}
		w.Text = fmt.Sprintf("%s, %s: basis %s so far (%s before this period), in band %d at %s%s",
			w.Rule, w.Window, money.Group(w.Total, scale), money.Group(w.Before, scale), w.Band, b.Rate.String(), next)
		out = append(out, w)
	}
	return out
}

// Chart geometry, in SVG user units.
const (
	chartWidth  = 640
	chartLeft   = 8
	chartRight  = 8
	panelHeight = 70
	windowRowH  = 46
)

// px scales v to length units where full is the length of span, to one
// decimal place (no floats: the geometry is decimal too).
func px(v, span decimal.Decimal, full int) decimal.Decimal {
	if span.IsZero() {
		return decimal.Zero
	}
	return money.Div(v.Mul(decimal.NewFromInt(int64(full))), span).Round(1)
}

func num(d decimal.Decimal) string { return d.StringFixed(1) }

// drawChart renders the SVG and its table.
func drawChart(st *Statement, pts []HistoryPoint, windows []WindowClimb, scale int32) *Chart {
	if len(pts) == 0 {
		return nil
	}
	c := &Chart{Windows: windows}
	for _, pt := range pts {
		c.Rows = append(c.Rows, ChartRow{Period: pt.Period.String(), Basis: money.Group(pt.Basis, scale),
			Share: money.Group(pt.Share, scale), Payable: money.Group(pt.Payable, scale), Current: pt.Period.String() == st.Period})
	}
	var b strings.Builder
	plotW := chartWidth - chartLeft - chartRight
	slot := plotW / ChartPeriods
	top1 := 34
	top2 := top1 + panelHeight + 58
	height := top2 + panelHeight + 34
	winTop := height
	height += windowRowH * len(windows)
	title := fmt.Sprintf("%s: revenue basis, share and payable, %s to %s", st.HostName, pts[0].Period, pts[len(pts)-1].Period)
	desc := chartDesc(c, windows)
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="chart-title chart-desc" font-family="Helvetica, Arial, sans-serif" font-size="10">`, chartWidth, height)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title><desc id="chart-desc">%s</desc>`, xmlText(title), xmlText(desc))

	panel := func(top int, label string, series []func(HistoryPoint) decimal.Decimal, classes []string, fills []string) {
		lo, hi := decimal.Zero, decimal.Zero
		for _, pt := range pts {
			for _, f := range series {
				lo, hi = decimal.Min(lo, f(pt)), decimal.Max(hi, f(pt))
			}
		}
		span := hi.Sub(lo)
		zero := decimal.NewFromInt(int64(top)).Add(px(hi, span, panelHeight))
		if span.IsZero() {
			zero = decimal.NewFromInt(int64(top + panelHeight))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`, chartLeft, top-16, xmlText(label))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#333">top of scale %s</text>`, chartWidth-chartRight, top-16, money.Group(hi, scale))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-width="0.5" stroke-dasharray="2 2"/>`, chartLeft, top, chartWidth-chartRight, top)
		barW := 36 / len(series)
		for i, pt := range pts {
			x0 := chartLeft + i*slot + (slot-36)/2
			for k, f := range series {
				v := f(pt)
				h := px(v.Abs(), span, panelHeight)
				y := zero
				if v.Sign() > 0 {
					y = zero.Sub(h)
				}
				fmt.Fprintf(&b, `<rect class="%s" data-period="%s" data-value="%s" x="%d" y="%s" width="%d" height="%s" fill="%s" stroke="#000" stroke-width="0.8"/>`,
					classes[k], pt.Period, v.StringFixed(scale), x0+k*barW, num(y), barW, num(h), fills[k])
			}
			weight := ""
			if pt.Period.String() == st.Period {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="middle"%s>%s</text>`, x0+18, num(decimal.NewFromInt(int64(top+panelHeight+13))), weight, pt.Period)
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#000" stroke-width="1"/>`, chartLeft, num(zero), chartWidth-chartRight, num(zero))
	}
	panel(top1, "Revenue basis", []func(HistoryPoint) decimal.Decimal{func(p HistoryPoint) decimal.Decimal { return p.Basis }},
		[]string{"basis"}, []string{"#c8c8c8"})
	panel(top2, "Share and amount payable", []func(HistoryPoint) decimal.Decimal{
		func(p HistoryPoint) decimal.Decimal { return p.Share }, func(p HistoryPoint) decimal.Decimal { return p.Payable }},
		[]string{"share", "payable"}, []string{"#fff", "#000"})
	// Legend.
	ly := top2 + panelHeight + 28
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="#c8c8c8" stroke="#000" stroke-width="0.8"/><text x="%d" y="%d">revenue basis</text>`, chartLeft, ly-9, chartLeft+14, ly)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="#fff" stroke="#000" stroke-width="0.8"/><text x="%d" y="%d">share</text>`, chartLeft+110, ly-9, chartLeft+124, ly)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="#000" stroke="#000" stroke-width="0.8"/><text x="%d" y="%d">amount payable</text>`, chartLeft+180, ly-9, chartLeft+194, ly)

	for i, w := range windows {
		drawWindow(&b, w, winTop+i*windowRowH, plotW, scale)
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}

// drawWindow draws one tier window as a horizontal bar: the bands as
// segments with their rates, the basis before this period in grey and this
// period's in black.
func drawWindow(b *strings.Builder, w WindowClimb, top, width int, scale int32) {
	// The scale reaches a quarter beyond the last threshold, or the total.
	last := decimal.Zero
	for _, bd := range w.Bands {
		if bd.UpTo != nil {
			last = *bd.UpTo
		}
	}
	full := decimal.Max(last.Mul(decimal.RequireFromString("1.25")), w.Total)
	if full.Sign() <= 0 {
		full = decimal.NewFromInt(1)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">Tier window: %s, %s</text>`, chartLeft, top+10, xmlText(w.Rule), xmlText(w.Window))
	y := top + 16
	clamp := func(d decimal.Decimal) decimal.Decimal { return decimal.Min(decimal.Max(d, decimal.Zero), full) }
	before := px(clamp(w.Before), full, width)
	total := px(clamp(w.Total), full, width)
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="14" fill="#fff" stroke="#000" stroke-width="0.8"/>`, chartLeft, y, width)
	fmt.Fprintf(b, `<rect class="window-before" data-value="%s" x="%d" y="%d" width="%s" height="14" fill="#c8c8c8"/>`, w.Before.StringFixed(scale), chartLeft, y, num(before))
	if total.GreaterThan(before) {
		fmt.Fprintf(b, `<rect class="window-period" data-value="%s" x="%s" y="%d" width="%s" height="14" fill="#000"/>`,
			w.Total.Sub(w.Before).StringFixed(scale), num(before.Add(decimal.NewFromInt(chartLeft))), y, num(total.Sub(before)))
	}
	prev := decimal.Zero
	for k, bd := range w.Bands {
		end := full
		if bd.UpTo != nil {
			end = *bd.UpTo
		}
		x0 := px(clamp(prev), full, width).Add(decimal.NewFromInt(chartLeft))
		x1 := px(clamp(end), full, width).Add(decimal.NewFromInt(chartLeft))
		mid := x0.Add(x1).Div(decimal.NewFromInt(2)).Round(1)
		fmt.Fprintf(b, `<text x="%s" y="%d" text-anchor="middle" font-size="9">band %d: %s</text>`, num(mid), y+26, k+1, xmlText(bd.Rate.String()))
		if bd.UpTo != nil {
			fmt.Fprintf(b, `<line class="threshold" data-value="%s" x1="%s" y1="%d" x2="%s" y2="%d" stroke="#000" stroke-width="1.5"/>`,
				bd.UpTo.String(), num(x1), y-3, num(x1), y+17)
		}
		prev = end
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end" font-size="9">%s so far</text>`, chartLeft+width, top+10, money.Group(w.Total, scale))
}

// chartDesc says in words what the chart shows.
func chartDesc(c *Chart, windows []WindowClimb) string {
	var parts []string
	for _, r := range c.Rows {
		parts = append(parts, fmt.Sprintf("%s: basis %s, share %s, payable %s", r.Period, r.Basis, r.Share, r.Payable))
	}
	s := "Bars per period. " + strings.Join(parts, "; ") + "."
	for _, w := range windows {
		s += " Tier window " + w.Text + "."
	}
	return s
}

// xmlText escapes text for an XML element or attribute.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}
