package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXTooManyDigits: an Excel number keeps 15 significant digits; an
// amount with more is written as text holding its exact value, with a
// warning, never rounded silently (issue 13 item 14). 15 digits stay
// numbers.
func TestXLSXTooManyDigits(t *testing.T) {
	big, ok15 := "1234567890123456.78", "1234567890123.45"
	doc := &Document{
		Schema: SchemaV1, Tool: Tool{Name: "llamashare", Version: "test"}, Currency: "USD",
		Periods: []string{"2025-Q1"},
		Settlements: []Settlement{{
			Host: "h", HostName: "H", Period: "2025-Q1", PeriodStart: "2025-01-01", PeriodEnd: "2025-03-31",
			Currency: "USD", Gross: big, Refunds: "0.00", Taxes: "0.00", Fees: "0.00", Credits: "0.00",
			Basis: ok15, Share: "100000000000000000.00", MinimumTopup: "0.00", CapReduction: "0.00",
			AdvanceRecouped: "0.00", AdvanceRemaining: "0.00", CarriedIn: "0.00", CarriedOut: "0.00", Payable: "1.00",
			Lines: []Line{{Rule: "r", Product: "p", Basis: big, Units: "12345678901234567", Share: "1.00"}},
		}},
		Totals: Totals{Gross: big, Basis: ok15, Share: "1.00", Payable: "1.00"},
	}
	var warnings []string
	var buf bytes.Buffer
	if err := WriteXLSXWarn(&buf, doc, 2, func(s string) { warnings = append(warnings, s) }); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	text := func(sheet, header, row string) {
		t.Helper()
		cell := column(t, f, sheet, header) + row
		typ, _ := f.GetCellType(sheet, cell)
		if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s!%s: type %v, want text", sheet, cell, typ)
		}
	}
	gross := column(t, f, SheetSummary, "gross")
	if v, _ := f.GetCellValue(SheetSummary, gross+"2"); v != big {
		t.Errorf("gross = %q, want the exact %s", v, big)
	}
	text(SheetSummary, "gross", "2")
	text(SheetSummary, "gross", "3") // the totals row
	text(SheetLines, "basis", "2")
	text(SheetLines, "units", "2")
	if d := numericCell(t, f, SheetSummary, column(t, f, SheetSummary, "basis")+"2"); d.String() != ok15 {
		t.Errorf("basis = %s, want the number %s", d, ok15)
	}
	// 1e17 has one significant digit: a number, exactly.
	numericCell(t, f, SheetSummary, column(t, f, SheetSummary, "share")+"2")
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "xlsx: Summary!"+gross+"2 (1234567890123456.78) and 3 other cells hold more than 15 significant digits") {
		t.Errorf("warnings = %q", warnings)
	}
}
