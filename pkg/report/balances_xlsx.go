package report

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/llamashare/llamashare/pkg/period"
)

// Sheet names of the workbook `balances -o xlsx` writes.
const (
	SheetBalances = "Balances"
	SheetOpen     = "Open statements"
	SheetPayments = "Payments"
)

// WriteBalancesXLSX writes the balances as a workbook: a Balances sheet
// (one row per host and a totals row), the open statements, and the
// payments counted. Amounts are numeric cells formatted to scale. The
// document properties carry the as-of date, so the same --as-of gives the
// same bytes.
func WriteBalancesXLSX(w io.Writer, doc *BalancesDocument, scale int32) error {
	return writeBalancesXLSX(w, doc, scale, nil)
}

func writeBalancesXLSX(w io.Writer, doc *BalancesDocument, scale int32, warn func(string)) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, scale: scale, rateStyles: map[int32]int{}, unitStyles: map[int32]int{}}
	if err := x.styles(); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetBalances); err != nil {
		return err
	}
	for _, name := range []string{SheetOpen, SheetPayments} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	t := doc.Totals
	totals := make([]string, len(balanceColumns))
	totals[0] = "Total"
	for i, v := range append([]string{t.Issued, t.Paid, t.Balance, t.Credit, t.PastDue}, t.Aging.list()...) {
		totals[4+i] = v
	}
	if err := x.sheet(SheetBalances, balanceColumns, balanceRows(doc), totals); err != nil {
		return err
	}
	if err := x.sheet(SheetOpen, openColumns, openRows(doc), nil); err != nil {
		return err
	}
	if err := x.sheet(SheetPayments, paymentColumns, paymentRows(doc), nil); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	stamp := "1980-01-01T00:00:00Z"
	if d, err := period.ParseDate(doc.AsOf); err == nil {
		stamp = d.UTC().Format(time.RFC3339)
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Created: stamp, Modified: stamp, Creator: doc.Tool.Name, LastModifiedBy: doc.Tool.Name,
		Title: balancesTitle(doc), Description: "agreement " + doc.Agreement.Path + " sha256 " + doc.Agreement.SHA256,
	}); err != nil {
		return err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: doc.Tool.Name, AppVersion: ""}); err != nil {
		return err
	}
	x.warnTexts(warn)
	return f.Write(w)
}
