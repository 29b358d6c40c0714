package report

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestWriteTableColor(t *testing.T) {
	const ex = "../../examples/llama-hosts/"
	res := settleFiles(t, ex+"agreement.yaml", ex+"2025-q1.csv", ex+"2025-q2.csv")
	doc := Build(res, "test")
	// A negative amount to colour.
	doc.Settlements[0].CarriedOut = "-12.50"
	for _, lines := range []bool{false, true} {
		var plain, color bytes.Buffer
		if err := WriteTable(&plain, doc, 2, lines); err != nil {
			t.Fatal(err)
		}
		if err := WriteTableColor(&color, doc, 2, lines); err != nil {
			t.Fatal(err)
		}
		if got := ansi.ReplaceAllString(color.String(), ""); got != plain.String() {
			t.Errorf("lines=%v: the coloured table without its escapes differs from the plain one:\n%s\n%s", lines, got, plain.String())
		}
		rows := strings.Split(color.String(), "\n")
		if !strings.HasPrefix(rows[1], "| "+sgrBold+"Host"+sgrReset) {
			t.Errorf("lines=%v: header not bold: %q", lines, rows[1])
		}
		if total := rows[len(rows)-3]; !strings.HasPrefix(total, "| "+sgrBold+"Total"+sgrReset) {
			t.Errorf("lines=%v: totals row not bold: %q", lines, total)
		}
	}
	var color bytes.Buffer
	if err := WriteTableColor(&color, doc, 2, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(color.String(), sgrRed+"-12.50"+sgrReset) {
		t.Errorf("negative amount not red:\n%s", color.String())
	}
}

func TestColorRow(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bold bool
		want string
	}{
		{"| a | -1.00 | 2025-05-15 |\n", false, "| a | " + sgrRed + "-1.00" + sgrReset + " | 2025-05-15 |\n"},
		{"| Total |  | -1,000.00 |\n", true, "| " + sgrBold + "Total" + sgrReset + " |  | " + sgrBoldRed + "-1,000.00" + sgrReset + " |\n"},
		{"| llama-3 | -x | - |\n", false, "| llama-3 | -x | - |\n"},
	} {
		if got := colorRow(tc.in, tc.bold); got != tc.want {
			t.Errorf("colorRow(%q, %v) = %q, want %q", tc.in, tc.bold, got, tc.want)
		}
	}
}

// TestMarkdownGolden pins `-o md`: a heading, the agreement and inputs,
// a GitHub table with right-aligned amounts and a bold totals row, and
// escaped text.
func TestMarkdownGolden(t *testing.T) {
	due := "2025-05-15"
	rate := "12.5%"
	doc := &Document{
		Schema: SchemaV1, Tool: Tool{Name: "llamashare", Version: "test"},
		Agreement: FileRef{Path: "agreement.yaml", SHA256: "abc123"},
		Inputs:    []InputDoc{{Path: "q1.csv"}, {Path: "q2.csv"}},
		Currency:  "USD", Periods: []string{"2025-Q1"},
		Settlements: []Settlement{
			{Host: "aws", Period: "2025-Q1", Gross: "1234567.50", Basis: "1000000.00", Share: "125000.00",
				MinimumTopup: "0.00", CapReduction: "100.00", AdvanceRecouped: "0.00", CarriedIn: "0.00",
				CarriedOut: "0.00", Payable: "124900.00", DueDate: &due,
				Lines: []Line{{Rule: "a|b", Product: "llama_3*", Basis: "1000000.00", Units: "0", Rate: &rate, Share: "125000.00"}}},
			{Host: "groq", Period: "2025-Q1", Gross: "-10.00", Basis: "-10.00", Share: "-1.00",
				MinimumTopup: "0.00", CapReduction: "0.00", AdvanceRecouped: "0.00", CarriedIn: "0.00",
				CarriedOut: "-1.00", Payable: "0.00"},
		},
		Totals: Totals{Gross: "1234557.50", Basis: "999990.00", Share: "124999.00", Payable: "124900.00"},
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, doc, 2, false); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "markdown", "summary.md"), b.Bytes())
	b.Reset()
	if err := WriteMarkdown(&b, doc, 2, true); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, filepath.Join("testdata", "markdown", "lines.md"), b.Bytes())
	if !strings.Contains(b.String(), `| a\|b | llama\_3\* |`) {
		t.Errorf("-o md --lines does not escape text cells:\n%s", b.String())
	}
}
