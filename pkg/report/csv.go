package report

import (
	"encoding/csv"
	"io"

	"github.com/gocarina/gocsv"
)

// csvSettlement is one row of `-o csv`: SPEC 6's scalar fields in order.
type csvSettlement struct {
	Host             string `csv:"host"`
	HostName         string `csv:"host_name"`
	Period           string `csv:"period"`
	PeriodStart      string `csv:"period_start"`
	PeriodEnd        string `csv:"period_end"`
	Currency         string `csv:"currency"`
	Gross            string `csv:"gross"`
	Refunds          string `csv:"refunds"`
	Taxes            string `csv:"taxes"`
	Fees             string `csv:"fees"`
	Credits          string `csv:"credits"`
	Basis            string `csv:"basis"`
	Share            string `csv:"share"`
	MinimumTopup     string `csv:"minimum_topup"`
	CapReduction     string `csv:"cap_reduction"`
	AdvanceRecouped  string `csv:"advance_recouped"`
	AdvanceRemaining string `csv:"advance_remaining"`
	CarriedIn        string `csv:"carried_in"`
	CarriedOut       string `csv:"carried_out"`
	Payable          string `csv:"payable"`
	DueDate          string `csv:"due_date"`
}

// csvLine is one row of `-o csv --lines`.
type csvLine struct {
	Host    string `csv:"host"`
	Period  string `csv:"period"`
	Rule    string `csv:"rule"`
	Product string `csv:"product"`
	Band    string `csv:"band"`
	Basis   string `csv:"basis"`
	Units   string `csv:"units"`
	Rate    string `csv:"rate"`
	Price   string `csv:"price"`
	Per     string `csv:"per"`
	Share   string `csv:"share"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// WriteCSV writes one row per settlement, or with lines one row per line.
// Absent values (a null due date, rate or price) are empty cells.
func WriteCSV(w io.Writer, doc *Document, lines bool) error {
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(w))
	if lines {
		rows := []csvLine{}
		for _, s := range doc.Settlements {
			for _, l := range s.Lines {
				rows = append(rows, csvLine{Host: s.Host, Period: s.Period, Rule: l.Rule, Product: l.Product,
					Band: optInt(l.Band), Basis: l.Basis, Units: l.Units, Rate: str(l.Rate), Price: str(l.Price), Per: str(l.Per), Share: l.Share})
			}
		}
		return gocsv.MarshalCSV(&rows, cw)
	}
	rows := []csvSettlement{}
	for _, s := range doc.Settlements {
		rows = append(rows, csvSettlement{
			Host: s.Host, HostName: s.HostName, Period: s.Period, PeriodStart: s.PeriodStart, PeriodEnd: s.PeriodEnd,
			Currency: s.Currency, Gross: s.Gross, Refunds: s.Refunds, Taxes: s.Taxes, Fees: s.Fees, Credits: s.Credits,
			Basis: s.Basis, Share: s.Share, MinimumTopup: s.MinimumTopup, CapReduction: s.CapReduction,
			AdvanceRecouped: s.AdvanceRecouped, AdvanceRemaining: s.AdvanceRemaining, CarriedIn: s.CarriedIn,
			CarriedOut: s.CarriedOut, Payable: s.Payable, DueDate: str(s.DueDate),
		})
	}
	return gocsv.MarshalCSV(&rows, cw)
}
