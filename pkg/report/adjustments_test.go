package report

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// ledgerDoc is a ledger run's Q2 (SPEC 9): aws adjusted +640.00, azure
// -1,200.00, gcp nothing restated.
func ledgerDoc() *Document {
	mk := func(host, prior, payable string, adj ...Adjustment) Settlement {
		var s Settlement
		v := reflect.ValueOf(&s).Elem()
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).Kind() == reflect.String {
				v.Field(i).SetString("0.00")
			}
		}
		s.Host, s.HostName, s.Period, s.Currency, s.Payable = host, host, "2025-Q2", "USD", payable
		s.PeriodStart, s.PeriodEnd = "2025-04-01", "2025-06-30"
		s.PriorAdjustments = &prior
		list := append([]Adjustment{}, adj...)
		s.Adjustments = &list
		return s
	}
	return &Document{Schema: SchemaV1, Currency: "USD", Periods: []string{"2025-Q2"}, Settlements: []Settlement{
		mk("aws", "640.00", "8625.03", Adjustment{Period: "2025-Q1", Settled: "9055.05", Restated: "9695.05", Adjustment: "640.00"}),
		mk("azure", "-1200.00", "1320.00", Adjustment{Period: "2025-Q1", Settled: "5160.00", Restated: "3960.00", Adjustment: "-1200.00"}),
		mk("gcp", "0.00", "3600.00"),
	}}
}

// Every format of a ledger run shows prior_adjustments, before payable,
// with the JSON's sign, and the table, Markdown and workbook list the
// adjustments lines; outside a ledger run no format has them.
func TestPriorAdjustmentsInEveryFormat(t *testing.T) {
	doc := ledgerDoc()

	var csvOut bytes.Buffer
	if err := WriteCSV(&csvOut, doc, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(csvOut.String(), "\n")
	if !strings.HasSuffix(lines[0], ",carried_out,prior_adjustments,payable,due_date") {
		t.Errorf("CSV header %q: want prior_adjustments before payable", lines[0])
	}
	if !strings.HasSuffix(lines[2], ",-1200.00,1320.00,") {
		t.Errorf("CSV azure row %q: want -1200.00 then 1320.00", lines[2])
	}

	var table bytes.Buffer
	if err := WriteTable(&table, doc, 2, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Prior adjustments |   Payable |", "|         -1,200.00 |  1,320.00 |",
		"\nPrior-period adjustments\n\n", "| azure | 2025-Q2 | 2025-Q1 | 5,160.00 | 3,960.00 |  -1,200.00 |",
		"| Total |         |         |          |          |    -560.00 |"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table has no %q:\n%s", want, table.String())
		}
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, doc, 2, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Prior adjustments |", "\n## Prior-period adjustments\n\n", "| **-560.00** |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown has no %q:\n%s", want, md.String())
		}
	}
	// --lines shows share lines only.
	var linesTable bytes.Buffer
	if err := WriteTable(&linesTable, doc, 2, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(linesTable.String(), "Prior") {
		t.Errorf("the lines table shows adjustments:\n%s", linesTable.String())
	}

	f := openXLSX(t, writeXLSX(t, doc, 2))
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{SheetSummary, SheetLines, SheetAdjustments}) {
		t.Fatalf("sheets %q", got)
	}
	col := column(t, f, SheetSummary, "prior_adjustments")
	if next := column(t, f, SheetSummary, "payable"); next <= col || len(next) != len(col) {
		t.Errorf("prior_adjustments in column %s, payable in %s: want it just before", col, next)
	}
	if got := numericCell(t, f, SheetSummary, col+"5"); !got.Equal(decimal.RequireFromString("-560")) {
		t.Errorf("Summary total prior_adjustments = %s, want -560", got)
	}
	adj := column(t, f, SheetAdjustments, "adjustment")
	for r, want := range []string{"640", "-1200", "-560"} {
		if got := numericCell(t, f, SheetAdjustments, adj+strconv.Itoa(r+2)); !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("Adjustments %s%d = %s, want %s", adj, r+2, got, want)
		}
	}

	// Not a ledger run: no column, no section, no sheet.
	for i := range doc.Settlements {
		doc.Settlements[i].PriorAdjustments, doc.Settlements[i].Adjustments = nil, nil
	}
	csvOut.Reset()
	table.Reset()
	if err := WriteCSV(&csvOut, doc, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteTable(&table, doc, 2, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(csvOut.String(), "prior") || strings.Contains(table.String(), "Prior") {
		t.Errorf("a run without a ledger shows prior adjustments:\n%s\n%s", csvOut.String(), table.String())
	}
	if got := openXLSX(t, writeXLSX(t, doc, 2)).GetSheetList(); len(got) != 2 {
		t.Errorf("sheets %q without a ledger", got)
	}
}

// --expect and check name a changed adjustment line by the period it
// adjusts.
func TestCompareAdjustments(t *testing.T) {
	want, got := ledgerDoc(), ledgerDoc()
	(*got.Settlements[1].Adjustments)[0].Restated = "4000.00"
	(*got.Settlements[1].Adjustments)[0].Adjustment = "-1160.00"
	got.Settlements[2].Adjustments = &[]Adjustment{{Period: "2025-Q1", Settled: "4250.00", Restated: "4300.00", Adjustment: "50.00"}}
	var lines []string
	for _, d := range Compare(want, got) {
		lines = append(lines, d.String())
	}
	wantLines := []string{
		"azure 2025-Q2 adjustment 2025-Q1 restated: want 3,960.00, got 4,000.00",
		"azure 2025-Q2 adjustment 2025-Q1 adjustment: want -1,200.00, got -1,160.00",
		"gcp 2025-Q2 adjustment 2025-Q1: want none, got a line",
	}
	if !reflect.DeepEqual(lines, wantLines) {
		t.Errorf("diffs\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
	plain := ledgerDoc()
	plain.Settlements[0].Adjustments, plain.Settlements[0].PriorAdjustments = nil, nil
	if d := Compare(want, plain); len(d) != 2 {
		t.Errorf("a ledger run against a plain one: %v", d)
	}
}
