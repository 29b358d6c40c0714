package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWriteTableTermFits: for every width from 50 to 200 columns, no line
// of the terminal table is wider (50 holds Host, Period and the widest
// column), every settlement figure shown in the piped table is still
// shown, and only zero adjustment columns are left out.
func TestWriteTableTermFits(t *testing.T) {
	const ex = "../../examples/llama-hosts/"
	res := settleFiles(t, ex+"agreement.yaml", ex+"2025-q1.csv", ex+"2025-q2.csv")
	doc := Build(res, "test")
	doc.Settlements[0].CarriedOut = "-12.50" // one adjustment that is not zero
	for _, lines := range []bool{false, true} {
		var plain bytes.Buffer
		if err := WriteTable(&plain, doc, 2, lines); err != nil {
			t.Fatal(err)
		}
		for width := 50; width <= 200; width++ {
			var b bytes.Buffer
			if err := WriteTableTerm(&b, doc, 2, lines, TermOptions{Width: width}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, l := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(l); n > width {
					t.Fatalf("lines=%v width %d: a line of %d columns:\n%s", lines, width, n, out)
				}
			}
			if !strings.HasPrefix(strings.Join(strings.Fields(out), " "), "Settlement 2025-Q1, 2025-Q2, amounts in USD") {
				t.Fatalf("width %d: no title with the currency:\n%s", width, out)
			}
			if !lines {
				if !strings.Contains(out, "Carried out") || !strings.Contains(out, "-12.50") {
					t.Fatalf("width %d: the non-zero Carried out column is gone:\n%s", width, out)
				}
				if !strings.Contains(strings.Join(strings.Fields(out), " "), "Not shown, zero in every row: Minimum top-up,") {
					t.Fatalf("width %d: the zero columns are not named:\n%s", width, out)
				}
			}
			for _, cell := range []string{"1,304,402.05", "156,336.55", "2025-05-15"} {
				if strings.Contains(plain.String(), cell) && !strings.Contains(out, cell) {
					t.Fatalf("lines=%v width %d: %s is lost:\n%s", lines, width, cell, out)
				}
			}
		}
	}
}
