package report

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/settle"
)

// distinctFigures settles testdata/statement (its first settlement has
// deductions, a minimum, a cap and an advance) and gives every money
// figure of that settlement a value of its own, owed negative so that
// explain prints what is carried out.
func distinctFigures(t *testing.T) (*settle.Result, *settle.Settlement) {
	t.Helper()
	const dir = "testdata/statement/"
	res := settleFiles(t, dir+"agreement.yaml", dir+"revenue.csv")
	s := res.Settlements[0]
	v := reflect.ValueOf(s).Elem()
	dec := reflect.TypeOf(decimal.Decimal{})
	n := 0
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).Type() == dec {
			n++
			v.Field(i).Set(reflect.ValueOf(decimal.RequireFromString(fmt.Sprintf("%d.%02d", 1001*n, 10+n))))
		}
	}
	s.Trace.Owed = decimal.RequireFromString("-1")
	return res, s
}

// renderAll renders res in every format: the settlement formats from its
// document, the first statement in Markdown and HTML, and explain.
func renderAll(t *testing.T, res *settle.Result) map[string]string {
	t.Helper()
	doc := Build(res, "test")
	scale := res.Agreement.Rounding.Scale
	out := map[string]string{}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"json":      func(b *bytes.Buffer) error { return WriteJSON(b, doc) },
		"csv":       func(b *bytes.Buffer) error { return WriteCSV(b, doc, false) },
		"table":     func(b *bytes.Buffer) error { return WriteTable(b, doc, scale, false) },
		"md":        func(b *bytes.Buffer) error { return WriteMarkdown(b, doc, scale, false) },
		"statement": func(b *bytes.Buffer) error { return WriteStatementMarkdown(b, BuildStatements(res, "test")[0]) },
		"html":      func(b *bytes.Buffer) error { return WriteStatementHTML(b, BuildStatements(res, "test")[0]) },
		"explain":   func(b *bytes.Buffer) error { return WriteExplain(b, res) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.String()
	}
	return out
}

// shows reports whether format's text shows field f of s: its key or
// label where the format has headers, and its amount as the format writes
// it.
func shows(format, text string, f settlementField, s *settle.Settlement, scale int32) bool {
	plain, grouped := f.figure(s).StringFixed(scale), money.Group(f.figure(s), scale)
	switch format {
	case "json":
		return strings.Contains(text, fmt.Sprintf("%q: %q", f.key, plain))
	case "csv":
		return strings.Contains(text, f.key) && strings.Contains(text, ","+plain+",")
	case "table", "md":
		return strings.Contains(text, f.label) && (strings.Contains(text, " "+plain+" ") || strings.Contains(text, " "+grouped+" "))
	}
	return strings.Contains(text, grouped) // statements and explain: amounts for people
}

// TestEveryRendererShowsEveryFigure: every money figure of the column
// model appears in every output of a settlement whose figures all
// differ — each format with the amount read from the engine's figure
// through the table. The table and Markdown summary show the figures for
// people; explain derives the settlement from the products' sums, so
// the revenue figures before the basis are per product there.
func TestEveryRendererShowsEveryFigure(t *testing.T) {
	res, s := distinctFigures(t)
	scale := res.Agreement.Rounding.Scale
	for format, text := range renderAll(t, res) {
		for _, f := range settlementFields {
			if f.figure == nil || (format == "table" || format == "md") && !f.people ||
				format == "explain" && f.part == partRevenue && f.key != "basis" {
				continue
			}
			if !shows(format, text, f, s, scale) {
				t.Errorf("%s does not show %s (%s):\n%s", format, f.key, f.figure(s), text)
			}
		}
	}
}

// TestNewFigureInOnePlace: a money figure added to settlementFields (with
// its document field) shows in CSV, the table, Markdown, Excel and the
// statements with no other change; the JSON document's keys follow the
// Settlement struct, which TestSettlementFieldsFollowJSON holds to the
// table.
func TestNewFigureInOnePlace(t *testing.T) {
	saved := settlementFields
	t.Cleanup(func() { settlementFields = saved })
	var bonus string
	f := amount("bonus", "Bonus", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return decimal.RequireFromString("4242.42") },
		func(*Settlement) *string { return &bonus })
	settlementFields = append(append([]settlementField{}, saved[:len(saved)-3]...), f)
	settlementFields = append(settlementFields, saved[len(saved)-3:]...)

	res, s := distinctFigures(t)
	scale := res.Agreement.Rounding.Scale
	for format, text := range renderAll(t, res) {
		if format == "json" || format == "explain" {
			continue
		}
		if !shows(format, text, f, s, scale) {
			t.Errorf("%s does not show the new figure:\n%s", format, text)
		}
	}
	x := openXLSX(t, writeXLSX(t, Build(res, "test"), scale))
	if got := numericCell(t, x, SheetSummary, column(t, x, SheetSummary, "bonus")+"2"); !got.Equal(decimal.RequireFromString("4242.42")) {
		t.Errorf("Excel: bonus %s, want 4242.42", got)
	}
}
