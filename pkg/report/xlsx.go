package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// Sheet names of the workbook `-o xlsx` writes.
const (
	SheetSummary = "Summary"
	SheetLines   = "Lines"
)

// cellKind says how a column's values go into cells.
type cellKind int

const (
	kindText   cellKind = iota
	kindDate            // YYYY-MM-DD, stored as an Excel date
	kindMoney           // an amount at the rounding scale, stored as a number
	kindNumber          // an exact number shown as written (price, band)
	kindUnits           // an exact number with thousands separators (units)
	kindRate            // "12.5%", stored as the fraction 0.125
)

// xlsxColumn is one column of a sheet: its header and how to read a row.
type xlsxColumn struct {
	header string
	kind   cellKind
}

// summaryColumns are the columns of fields.
func summaryColumns(fields []settlementField) []xlsxColumn {
	cols := make([]xlsxColumn, len(fields))
	for i, f := range fields {
		cols[i] = xlsxColumn{f.key, f.kind}
	}
	return cols
}

// lineColumns are the columns of `-o csv --lines`, in order.
var lineColumns = []xlsxColumn{
	{"host", kindText}, {"period", kindText}, {"rule", kindText}, {"product", kindText},
	{"band", kindNumber}, {"basis", kindMoney}, {"units", kindUnits}, {"rate", kindRate},
	{"price", kindNumber}, {"per", kindNumber}, {"share", kindMoney},
}

func lineRow(s Settlement, l Line) []string {
	return []string{s.Host, s.Period, l.Rule, l.Product, optInt(l.Band), l.Basis, l.Units,
		str(l.Rate), str(l.Price), str(l.Per), l.Share}
}

// WriteXLSX writes doc as an Excel workbook: a Summary sheet with one row
// per settlement (SPEC 6's scalar fields in order) and a totals row, and a
// Lines sheet with one row per share line. Amounts are numeric cells
// formatted to scale; their value is written from the decimal's own text,
// so no float formatting error creeps in. The totals row holds the
// document's totals as values, not formulas: a reader that does not
// recalculate still sees them, and they are the exact decimal sums.
//
// The bytes depend only on doc and scale: the document properties carry a
// fixed time (the end of the last period) and the archive's entries carry
// no timestamps.
//
// An amount with more than MaxExcelDigits significant digits is written
// as a text cell holding its exact value (WriteXLSXWarn warns about it).
func WriteXLSX(w io.Writer, doc *Document, scale int32) error {
	return writeWorkbook(w, doc, scale, nil)
}

func writeWorkbook(w io.Writer, doc *Document, scale int32, warn func(string)) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, scale: scale, rateStyles: map[int32]int{}, unitStyles: map[int32]int{}}
	if err := x.styles(); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetLines); err != nil {
		return err
	}

	var rows [][]string
	fields := fieldsOf(doc)
	for i := range doc.Settlements {
		rows = append(rows, fieldRow(fields, &doc.Settlements[i]))
	}
	// The totals row totals every money column (SPEC 8).
	totals := columnTotals(fields, rows, scale)
	if err := x.sheet(SheetSummary, summaryColumns(fields), rows, totals); err != nil {
		return err
	}

	rows = nil
	for _, s := range doc.Settlements {
		for _, l := range s.Lines {
			rows = append(rows, lineRow(s, l))
		}
	}
	if err := x.sheet(SheetLines, lineColumns, rows, nil); err != nil {
		return err
	}
	if adj, total := adjustmentRows(doc, scale); len(adj) > 0 {
		if _, err := f.NewSheet(SheetAdjustments); err != nil {
			return err
		}
		if err := x.sheet(SheetAdjustments, adjustmentColumns, adj, []string{"Total", "", "", "", "", total}); err != nil {
			return err
		}
	}

	f.SetActiveSheet(0)
	if err := x.properties(doc); err != nil {
		return err
	}
	x.warnTexts(warn)
	return f.Write(w)
}

type xlsxWriter struct {
	f          *excelize.File
	scale      int32
	header     int
	headerNum  int // over a numeric column: right-aligned like its numbers
	text       int
	date       int
	money      int
	number     int
	totalText  int
	totalMoney int
	rateStyles map[int32]int // by decimal places of the percentage
	unitStyles map[int32]int // by decimal places of the number
	texts      int           // numbers written as text (xlsx_digits.go)
	firstText  string        // the first of them, for the warning
}

// moneyFormat is the number format of amounts at scale: #,##0.00 for 2.
func moneyFormat(scale int32) string {
	if scale <= 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", int(scale))
}

func (x *xlsxWriter) styles() (err error) {
	f := x.f
	moneyFmt := moneyFormat(x.scale)
	dateFmt := "yyyy-mm-dd"
	top := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	// The workbook's default font, in bold: a font without a family falls
	// back to another typeface in some applications.
	bold := &excelize.Font{Bold: true, Family: "Calibri", Size: 11}
	steps := []struct {
		dst *int
		st  *excelize.Style
	}{
		{&x.header, &excelize.Style{
			Font:      bold,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center"},
		}},
		{&x.headerNum, &excelize.Style{
			Font:      bold,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center", Horizontal: "right"},
		}},
		{&x.text, &excelize.Style{}},
		{&x.date, &excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&x.money, &excelize.Style{CustomNumFmt: &moneyFmt}},
		{&x.number, &excelize.Style{NumFmt: 0}},
		{&x.totalText, &excelize.Style{Font: bold, Border: top}},
		{&x.totalMoney, &excelize.Style{Font: bold, Border: top, CustomNumFmt: &moneyFmt}},
	}
	for _, s := range steps {
		if *s.dst, err = f.NewStyle(s.st); err != nil {
			return err
		}
	}
	return nil
}

// rateStyle returns a percentage style showing exactly places decimals,
// so 12.5% shows as 12.5% and 10% as 10%.
func (x *xlsxWriter) rateStyle(places int32) (int, error) {
	if id, ok := x.rateStyles[places]; ok {
		return id, nil
	}
	format := "0%"
	if places > 0 {
		format = "0." + strings.Repeat("0", int(places)) + "%"
	}
	id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return 0, err
	}
	x.rateStyles[places] = id
	return id, nil
}

// unitStyle returns a grouped number style showing exactly places
// decimals: 53,681,482,240 rather than 5.37E+10.
func (x *xlsxWriter) unitStyle(places int32) (int, error) {
	if id, ok := x.unitStyles[places]; ok {
		return id, nil
	}
	format := moneyFormat(places)
	id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return 0, err
	}
	x.unitStyles[places] = id
	return id, nil
}

// sheet writes a header, rows and an optional totals row, then freezes the
// header, filters the data rows and sizes the columns to their content.
func (x *xlsxWriter) sheet(name string, cols []xlsxColumn, rows [][]string, totals []string) error {
	f := x.f
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = utf8.RuneCountInString(c.header)
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(name, cell, c.header); err != nil {
			return err
		}
		style := x.header
		if c.kind != kindText && c.kind != kindDate {
			style = x.headerNum
		}
		if err := f.SetCellStyle(name, cell, cell, style); err != nil {
			return err
		}
	}
	for r, row := range rows {
		if err := x.row(name, r+2, cols, row, false, widths); err != nil {
			return err
		}
	}
	if totals != nil {
		if err := x.row(name, len(rows)+2, cols, totals, true, widths); err != nil {
			return err
		}
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		// Room for the filter button; wide text stays readable but bounded.
		if err := f.SetColWidth(name, col, col, float64(min(wd, 48)+4)); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	lastRow := len(rows) + 1
	if totals != nil {
		lastRow++
	}
	lastCell, _ := excelize.CoordinatesToCellName(len(cols), lastRow)
	if err := f.SetSheetDimension(name, "A1:"+lastCell); err != nil {
		return err
	}
	lastData, _ := excelize.CoordinatesToCellName(len(cols), len(rows)+1)
	if err := f.AutoFilter(name, "A1:"+lastData, nil); err != nil {
		return err
	}
	// Printed: landscape, one page wide, the header on every page. (After
	// AutoFilter, which replaces the sheet's properties.)
	fit, landscape, wide, tall := true, "landscape", 1, 0
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + name + "'!$1:$1", Scope: name})
}

// row writes one row; widths grows to the widest shown text per column.
func (x *xlsxWriter) row(name string, r int, cols []xlsxColumn, row []string, total bool, widths []int) error {
	f := x.f
	for i, c := range cols {
		v := row[i]
		cell, _ := excelize.CoordinatesToCellName(i+1, r)
		shown, style, err := x.cell(name, cell, c.kind, v, total)
		if err != nil {
			return fmt.Errorf("%s!%s (%s): %v", name, cell, c.header, err)
		}
		if err := f.SetCellStyle(name, cell, cell, style); err != nil {
			return err
		}
		if n := utf8.RuneCountInString(shown); n > widths[i] {
			widths[i] = n
		}
	}
	return nil
}

// cell writes one value and returns the text a reader sees and its style.
// An empty value is an empty cell.
func (x *xlsxWriter) cell(name, cell string, kind cellKind, v string, total bool) (string, int, error) {
	f := x.f
	textStyle, moneyStyle := x.text, x.money
	if total {
		textStyle, moneyStyle = x.totalText, x.totalMoney
	}
	if v == "" {
		return "", textStyle, nil
	}
	switch kind {
	case kindDate:
		d, err := period.ParseDate(v)
		if err != nil {
			return "", 0, err
		}
		return v, x.date, f.SetCellDefault(name, cell, strconv.Itoa(excelDay(d)))
	case kindMoney:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return "", 0, err
		}
		// The cell's value is the decimal's exact text: Excel reads it
		// as the nearest double, as it would a typed-in amount.
		if x.overflows(name, cell, d) {
			return x.textNumber(name, cell, d.StringFixed(x.scale), total)
		}
		return money.Group(d, x.scale), moneyStyle, f.SetCellDefault(name, cell, d.StringFixed(x.scale))
	case kindNumber:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return "", 0, err
		}
		if x.overflows(name, cell, d) {
			return x.textNumber(name, cell, d.String(), total)
		}
		return d.String(), x.number, f.SetCellDefault(name, cell, d.String())
	case kindUnits:
		d, err := decimal.NewFromString(v)
		if err != nil {
			return "", 0, err
		}
		if x.overflows(name, cell, d) {
			return x.textNumber(name, cell, d.String(), total)
		}
		places := max(-d.Exponent(), 0)
		st, err := x.unitStyle(places)
		if err != nil {
			return "", 0, err
		}
		return money.Group(d, places), st, f.SetCellDefault(name, cell, d.String())
	case kindRate:
		r, err := money.ParseRate(v)
		if err != nil {
			return "", 0, err
		}
		if x.overflows(name, cell, r.Value) {
			return x.textNumber(name, cell, r.String(), total)
		}
		places := max(-r.Percent().Exponent(), 0)
		if r.Percent().Equal(r.Percent().Truncate(0)) {
			places = 0
		}
		st, err := x.rateStyle(places)
		if err != nil {
			return "", 0, err
		}
		return r.String(), st, f.SetCellDefault(name, cell, r.Value.String())
	default:
		return v, textStyle, f.SetCellStr(name, cell, v)
	}
}

// excelDay is the serial number of day d in Excel's 1900 date system
// (1 = 1900-01-01, counting Excel's phantom 1900-02-29), for any date from
// 1900-03-01 on.
func excelDay(d time.Time) int {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return int(day.Sub(epoch).Hours() / 24)
}

// properties sets fixed document properties so that the same document
// gives the same bytes: the time is the end of the last period, not now.
func (x *xlsxWriter) properties(doc *Document) error {
	stamp := "1980-01-01T00:00:00Z"
	if n := len(doc.Periods); n > 0 {
		if p, err := period.Parse(doc.Periods[n-1]); err == nil {
			stamp = p.End().UTC().Format(time.RFC3339)
		}
	}
	title := "Settlement"
	if len(doc.Periods) > 0 {
		title += " " + strings.Join(doc.Periods, ", ")
	}
	if doc.Currency != "" {
		title += " (" + doc.Currency + ")"
	}
	if err := x.f.SetDocProps(&excelize.DocProperties{
		Created: stamp, Modified: stamp, Creator: doc.Tool.Name, LastModifiedBy: doc.Tool.Name,
		Title: title, Description: "agreement " + doc.Agreement.Path + " sha256 " + doc.Agreement.SHA256,
	}); err != nil {
		return err
	}
	return x.f.SetAppProps(&excelize.AppProperties{Application: doc.Tool.Name, AppVersion: ""})
}
