package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// svgRect is a bar as drawn.
type svgRect struct {
	class, period  string
	value, y, h, w decimal.Decimal
}

// parseSVG checks that svg is well-formed XML and returns its bars, its
// title and its description.
func parseSVG(t *testing.T, svg string) (rects []svgRect, title, desc string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			if e.Name.Local == "script" || e.Name.Local == "image" || e.Name.Local == "use" {
				t.Errorf("SVG holds <%s>", e.Name.Local)
			}
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
				if strings.HasPrefix(a.Name.Local, "on") || strings.Contains(a.Value, "url(") || strings.Contains(a.Value, "http") {
					t.Errorf("SVG attribute %s=%q", a.Name.Local, a.Value)
				}
			}
			if e.Name.Local == "rect" && attr["data-value"] != "" {
				d := func(k string) decimal.Decimal {
					v, err := decimal.NewFromString(attr[k])
					if err != nil {
						t.Fatalf("rect %s=%q: %v", k, attr[k], err)
					}
					return v
				}
				w := decimal.Zero
				if attr["width"] != "" {
					w = d("width")
				}
				rects = append(rects, svgRect{class: attr["class"], period: attr["data-period"], value: d("data-value"), y: d("y"), h: d("height"), w: w})
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "title" {
				title += string(e)
			}
			if len(stack) > 0 && stack[len(stack)-1] == "desc" {
				desc += string(e)
			}
		}
	}
	return rects, title, desc
}

func TestChartSVG(t *testing.T) {
	ag := &agreement.Agreement{Currency: "USD", Rounding: money.Rounding{Mode: money.HalfUp, Scale: 2}}
	d := decimal.RequireFromString
	upTo := d("1000000")
	rule := &agreement.Rule{Name: "frontier", Tiers: &agreement.Tiers{Mode: agreement.Graduated, Window: agreement.WindowYear, Scope: agreement.ScopeRule,
		Bands: []agreement.Band{{UpTo: &upTo, Rate: money.NewRate(d("10"))}, {Rate: money.NewRate(d("15"))}}}}
	host := &agreement.Host{ID: "aws", Name: "A & <B>"}
	var res settle.Result
	res.Agreement = ag
	var history []HistoryPoint
	p, _ := period.Parse("2023-Q1")
	// Ten periods: the chart shows the last eight up to the statement's.
	for i := 0; i < 10; i++ {
		basis := d("100000").Mul(decimal.NewFromInt(int64(i + 1)))
		if i == 1 {
			basis = d("-50000") // a period of refunds
		}
		history = append(history, HistoryPoint{Host: "aws", Period: p, Basis: basis, Share: basis.Div(d("10")), Payable: decimal.Max(decimal.Zero, basis.Div(d("10")))})
		if i < 9 {
			p = p.Next()
		}
	}
	s := &settle.Settlement{Host: host, Period: p, Basis: d("1000000"), Share: d("100000"), Payable: d("100000")}
	s.Trace.Scopes = []settle.Scope{{Rule: rule, Product: "*", Basis: d("1000000"), Before: d("600000")}}
	res.Settlements = []*settle.Settlement{s}
	st := &Statement{HostID: "aws", HostName: host.Name, Period: p.String(), Currency: "USD"}
	addCharts([]*Statement{st}, &res, history)
	if st.Chart == nil {
		t.Fatal("no chart")
	}
	rects, title, desc := parseSVG(t, string(st.Chart.SVG))
	if !strings.Contains(title, "A & <B>: revenue basis, share and payable, 2023-Q3 to 2025-Q2") {
		t.Errorf("title = %q", title)
	}
	if !strings.Contains(desc, "2025-Q2: basis 1,000,000.00, share 100,000.00, payable 100,000.00") || !strings.Contains(desc, "in band 2 at 15%") {
		t.Errorf("desc = %q", desc)
	}
	// Bars: 8 basis, 8 share, 8 payable, and the window's two segments.
	count := map[string]int{}
	for _, r := range rects {
		count[r.class]++
	}
	if count["basis"] != 8 || count["share"] != 8 || count["payable"] != 8 || count["window-before"] != 1 || count["window-period"] != 1 {
		t.Fatalf("bars = %v", count)
	}
	// Heights are proportional to the values: within a panel, height ÷
	// |value| is the same for every bar (to the 0.1 unit drawn).
	for _, class := range []string{"basis", "share"} {
		var ratio decimal.Decimal
		for _, r := range rects {
			if r.class != class || r.value.IsZero() {
				continue
			}
			got := r.h.Div(r.value.Abs())
			if ratio.IsZero() {
				ratio = got
				continue
			}
			// |h − ratio·|v|| ≤ 0.1
			if r.h.Sub(ratio.Mul(r.value.Abs())).Abs().GreaterThan(d("0.1")) {
				t.Errorf("%s bar %s: height %s for %s, not in proportion", class, r.period, r.h, r.value)
			}
		}
	}
	// The largest basis fills the panel; the negative one hangs below the zero line.
	var top, neg svgRect
	for _, r := range rects {
		if r.class == "basis" && r.period == "2025-Q2" {
			top = r
		}
		if r.class == "basis" && r.value.Sign() < 0 {
			neg = r
		}
	}
	if neg.period != "" {
		t.Errorf("2023-Q2 (the negative period) is before the eight shown, yet plotted: %+v", neg)
	}
	if !top.value.Equal(d("1000000.00")) || !top.h.Equal(d(panelHeightText)) {
		t.Errorf("top bar %+v, want height %s", top, panelHeightText)
	}
	// The window: 600,000 before and 1,000,000 this period on a scale to
	// 1,600,000 (the total, beyond 1.25 × the last threshold).
	for _, r := range rects {
		switch r.class {
		case "window-before":
			if !r.value.Equal(d("600000.00")) || !r.w.Equal(px(d("600000"), d("1600000"), chartWidth-chartLeft-chartRight)) {
				t.Errorf("window before %+v", r)
			}
		case "window-period":
			if !r.value.Equal(d("1000000.00")) {
				t.Errorf("window period %+v", r)
			}
		}
	}
	// The HTML statement carries it inline, with the table as text alternative.
	var h bytes.Buffer
	if err := WriteStatementHTML(&h, st); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<svg viewBox=`, `role="img"`, `<caption>Figures plotted (USD)</caption>`, `<td>2024-Q4</td><td class="num">800,000.00</td>`} {
		if !strings.Contains(h.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestChartNegativeBar(t *testing.T) {
	d := decimal.RequireFromString
	p1, _ := period.Parse("2025-Q1")
	p2 := p1.Next()
	res := &settle.Result{Agreement: &agreement.Agreement{Rounding: money.Rounding{Scale: 2}}}
	st := &Statement{HostID: "x", HostName: "x", Period: p2.String()}
	addCharts([]*Statement{st}, res, []HistoryPoint{
		{Host: "x", Period: p1, Basis: d("300"), Share: d("30"), Payable: d("30")},
		{Host: "x", Period: p2, Basis: d("-100"), Share: d("-10"), Payable: d("0")},
	})
	rects, _, _ := parseSVG(t, string(st.Chart.SVG))
	// Scale −100..300 over the panel: the zero line sits at 3/4.
	var pos, neg svgRect
	for _, r := range rects {
		if r.class == "basis" && r.period == "2025-Q1" {
			pos = r
		}
		if r.class == "basis" && r.period == "2025-Q2" {
			neg = r
		}
	}
	if !pos.y.Add(pos.h).Equal(neg.y) {
		t.Errorf("positive bar ends at %s, negative starts at %s: want the same zero line", pos.y.Add(pos.h), neg.y)
	}
	if !pos.h.Equal(neg.h.Mul(d("3"))) {
		t.Errorf("heights %s and %s, want 3:1", pos.h, neg.h)
	}
}

// panelHeightText is panelHeight as text.
const panelHeightText = "70"
