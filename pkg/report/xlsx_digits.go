package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxExcelDigits is the precision of an Excel number: 15 significant
// digits (an IEEE double, shown and edited to 15 digits). A value with
// more would be changed silently by a numeric cell.
const MaxExcelDigits = 15

// significant is the number of significant digits of d: its coefficient
// without leading or trailing zeros (1234567890123456.78 has 18; 1e17
// has 1).
func significant(d decimal.Decimal) int {
	s := strings.TrimLeft(d.Coefficient().String(), "-0")
	return len(strings.TrimRight(s, "0"))
}

// overflows reports whether d cannot be held exactly by an Excel number;
// such a cell is written as text holding the exact decimal instead, and
// counted for the warning.
func (x *xlsxWriter) overflows(name, cell string, d decimal.Decimal) bool {
	if significant(d) <= MaxExcelDigits {
		return false
	}
	if x.texts == 0 {
		x.firstText = fmt.Sprintf("%s!%s (%s)", name, cell, d.String())
	}
	x.texts++
	return true
}

// textNumber writes the exact text of a number that a numeric cell would
// change, right-aligned as numbers are.
func (x *xlsxWriter) textNumber(name, cell, v string, total bool) (string, int, error) {
	style := x.number
	if total {
		style = x.totalText
	}
	return v, style, x.f.SetCellStr(name, cell, v)
}

// warnTexts says which numbers went in as text.
func (x *xlsxWriter) warnTexts(warn func(string)) {
	if x.texts == 0 || warn == nil {
		return
	}
	more := ""
	if x.texts > 1 {
		more = fmt.Sprintf(" and %d other cells", x.texts-1)
	}
	warn(fmt.Sprintf("xlsx: %s%s hold more than %d significant digits, more than an Excel number keeps: written as text with the exact value",
		x.firstText, more, MaxExcelDigits))
}

// WriteXLSXWarn is WriteXLSX that warns about numbers written as text
// (more than MaxExcelDigits significant digits).
func WriteXLSXWarn(w io.Writer, doc *Document, scale int32, warn func(string)) error {
	return writeWorkbook(w, doc, scale, warn)
}

// WriteBalancesXLSXWarn is WriteBalancesXLSX that warns as WriteXLSXWarn.
func WriteBalancesXLSXWarn(w io.Writer, doc *BalancesDocument, scale int32, warn func(string)) error {
	return writeBalancesXLSX(w, doc, scale, warn)
}
