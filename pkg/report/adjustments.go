package report

import (
	"io"

	"github.com/shopspring/decimal"
)

// SheetAdjustments is the workbook sheet of SPEC 9's adjustments lines,
// there only in a ledger run that has some.
const SheetAdjustments = "Adjustments"

// adjustmentColumns are the columns of the adjustments lines: the
// settlement they are in (host, period), the closed period they adjust,
// and its settled, restated and adjustment figures as the JSON has them.
var adjustmentColumns = []xlsxColumn{
	{"host", kindText}, {"period", kindText}, {"adjusts", kindText},
	{"settled", kindMoney}, {"restated", kindMoney}, {"adjustment", kindMoney},
}

// adjustmentRows are the adjustments lines of doc's settlements, one row
// each, in settlement order, and their total (the sum of the settlements'
// prior_adjustments) at scale. No rows outside a ledger run or when no
// closed period was restated.
func adjustmentRows(doc *Document, scale int32) ([][]string, string) {
	var rows [][]string
	sum := decimal.Zero
	for _, s := range doc.Settlements {
		if s.Adjustments == nil {
			continue
		}
		for _, a := range *s.Adjustments {
			rows = append(rows, []string{s.Host, s.Period, a.Period, a.Settled, a.Restated, a.Adjustment})
			if d, err := decimal.NewFromString(a.Adjustment); err == nil {
				sum = sum.Add(d)
			}
		}
	}
	return rows, sum.StringFixed(scale)
}

// adjustmentsGrid lays the adjustments lines out for the table and
// Markdown, with a totals row; ok is false when there are none.
func adjustmentsGrid(doc *Document, scale int32) (g grid, ok bool) {
	rows, total := adjustmentRows(doc, scale)
	if len(rows) == 0 {
		return g, false
	}
	g = grid{
		header:  []string{"Host", "Period", "Adjusts", "Settled", "Restated", "Adjustment"},
		numeric: []bool{false, false, false, true, true, true},
		footer:  []string{"Total", "", "", "", "", group(total, scale)},
	}
	for _, r := range rows {
		g.rows = append(g.rows, []string{r[0], r[1], r[2], group(r[3], scale), group(r[4], scale), group(r[5], scale)})
	}
	return g, true
}

// writeAdjustments writes the adjustments lines under a settlement table
// (not under a lines table): a title, then the grid. Nothing when there
// are none.
func writeAdjustments(w io.Writer, doc *Document, scale int32, lines, markdown bool) error {
	g, ok := adjustmentsGrid(doc, scale)
	if lines || !ok {
		return nil
	}
	title := "\nPrior-period adjustments\n\n"
	if markdown {
		title = "\n## Prior-period adjustments\n\n"
	}
	if _, err := io.WriteString(w, title); err != nil {
		return err
	}
	return g.render(w, markdown)
}
