package report

import (
	"github.com/shopspring/decimal"
)

// settlementField is one scalar field of a settlement, described once for
// every format that lays settlements out in columns: its JSON and CSV key,
// its header for people, how its cells are written, and how to read it
// from a settlement. The JSON document keeps its own struct (its key order
// is SPEC 6's); a test holds the two to the same order.
//
// Sign convention (SPEC 8): every amount is shown with the sign it has in
// the JSON. Reductions — cap_reduction, advance_recouped and the deducted
// figures — are positive numbers whose names say they reduce, in the
// table, Markdown, CSV, Excel and statements alike.
type settlementField struct {
	key    string // JSON/CSV key, and the Excel header
	label  string // header in the table and Markdown; "" = not shown there
	kind   cellKind
	get    func(s *Settlement) string
	people bool // shown in the table and Markdown summary
}

// settlementFields are SPEC 6's scalar settlement fields, in order.
var settlementFields = []settlementField{
	{"host", "Host", kindText, func(s *Settlement) string { return s.Host }, true},
	{"host_name", "Host name", kindText, func(s *Settlement) string { return s.HostName }, false},
	{"period", "Period", kindText, func(s *Settlement) string { return s.Period }, true},
	{"period_start", "Period start", kindDate, func(s *Settlement) string { return s.PeriodStart }, false},
	{"period_end", "Period end", kindDate, func(s *Settlement) string { return s.PeriodEnd }, false},
	{"currency", "Currency", kindText, func(s *Settlement) string { return s.Currency }, false},
	{"gross", "Gross", kindMoney, func(s *Settlement) string { return s.Gross }, true},
	{"refunds", "Refunds", kindMoney, func(s *Settlement) string { return s.Refunds }, false},
	{"taxes", "Taxes", kindMoney, func(s *Settlement) string { return s.Taxes }, false},
	{"fees", "Fees", kindMoney, func(s *Settlement) string { return s.Fees }, false},
	{"credits", "Credits", kindMoney, func(s *Settlement) string { return s.Credits }, false},
	{"basis", "Basis", kindMoney, func(s *Settlement) string { return s.Basis }, true},
	{"share", "Share", kindMoney, func(s *Settlement) string { return s.Share }, true},
	{"minimum_topup", "Minimum top-up", kindMoney, func(s *Settlement) string { return s.MinimumTopup }, true},
	{"cap_reduction", "Cap reduction", kindMoney, func(s *Settlement) string { return s.CapReduction }, true},
	{"advance_recouped", "Advance recouped", kindMoney, func(s *Settlement) string { return s.AdvanceRecouped }, true},
	{"advance_remaining", "Advance remaining", kindMoney, func(s *Settlement) string { return s.AdvanceRemaining }, true},
	{"carried_in", "Carried in", kindMoney, func(s *Settlement) string { return s.CarriedIn }, true},
	{"carried_out", "Carried out", kindMoney, func(s *Settlement) string { return s.CarriedOut }, true},
	{"payable", "Payable", kindMoney, func(s *Settlement) string { return s.Payable }, true},
	{"due_date", "Due date", kindDate, func(s *Settlement) string { return str(s.DueDate) }, true},
}

// priorAdjustmentsField is SPEC 9's prior_adjustments (the sum of the
// adjustments lines): in a ledger run's settlements every format shows it,
// just before payable, with the JSON's sign (a negative adjustment is
// negative, it is not a reduction named as such). Outside a ledger run the
// JSON has no such key and no format has the column.
var priorAdjustmentsField = settlementField{"prior_adjustments", "Prior adjustments", kindMoney,
	func(s *Settlement) string { return str(s.PriorAdjustments) }, true}

// ledgerRun reports whether doc's settlements carry SPEC 9's ledger
// figures.
func ledgerRun(doc *Document) bool {
	for i := range doc.Settlements {
		if doc.Settlements[i].PriorAdjustments != nil {
			return true
		}
	}
	return false
}

// fieldsOf are the settlement columns of doc: settlementFields, and in a
// ledger run prior_adjustments before payable.
func fieldsOf(doc *Document) []settlementField {
	if !ledgerRun(doc) {
		return settlementFields
	}
	out := make([]settlementField, 0, len(settlementFields)+1)
	for _, f := range settlementFields {
		if f.key == "payable" {
			out = append(out, priorAdjustmentsField)
		}
		out = append(out, f)
	}
	return out
}

// fieldRow reads fields from s, one text per field.
func fieldRow(fields []settlementField, s *Settlement) []string {
	row := make([]string, len(fields))
	for i, f := range fields {
		row[i] = f.get(s)
	}
	return row
}

// peopleFields are the fields the table and Markdown summary of doc show.
func peopleFields(doc *Document) []settlementField {
	var out []settlementField
	for _, f := range fieldsOf(doc) {
		if f.people {
			out = append(out, f)
		}
	}
	return out
}

// columnTotals sums every money column of rows, at scale; other columns
// are empty, and the first holds "Total". The totals row of every format
// totals every money column (SPEC 8), so a reader can add any of them up
// and compare. Amounts that do not parse are skipped (they cannot occur in
// a document Build made).
func columnTotals(fields []settlementField, rows [][]string, scale int32) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if f.kind != kindMoney {
			continue
		}
		sum := decimal.Zero
		for _, r := range rows {
			if d, err := decimal.NewFromString(r[i]); err == nil {
				sum = sum.Add(d)
			}
		}
		out[i] = sum.StringFixed(scale)
	}
	if len(out) > 0 {
		out[0] = "Total"
	}
	return out
}
