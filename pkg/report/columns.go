package report

import (
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/settle"
)

// settlementField is one scalar field of a settlement, described once for
// every output: its JSON and CSV key, its header for people, how its
// cells are written, and how to read it from a settlement. A money figure
// also says where the engine keeps it (figure) and where the document
// does (doc): Build fills the document from it, the statement and explain
// read the engine's figures through it, so a new figure is one entry here
// (and its field in Settlement, whose JSON key order a test holds to
// this table's).
//
// Sign convention (SPEC 8): every amount is shown with the sign it has in
// the JSON. Reductions — cap_reduction, advance_recouped and the deducted
// figures — are positive numbers whose names say they reduce, in the
// table, Markdown, CSV, Excel and statements alike.
type settlementField struct {
	key    string // JSON/CSV key, and the Excel header
	label  string // header in the table and Markdown
	kind   cellKind
	get    func(s *Settlement) string
	people bool // shown in the table and Markdown summary

	// Money figures only (kind kindMoney, except prior_adjustments).
	figure func(s *settle.Settlement) decimal.Decimal // the engine's figure
	doc    func(s *Settlement) *string                // the document's field
	part   part                                       // where a statement shows it
	long   string                                     // its label in a statement, when not label
}

// part is where a statement shows a figure (SPEC 5's order): the revenue
// (gross less deductions to the basis), the share, the adjustments from
// the share to what is owed and carried, and the payable.
type part int

const (
	partNone part = iota
	partRevenue
	partShare
	partAdjustment
	partPayable
)

// textField is a field that is not a money figure.
func textField(key, label string, kind cellKind, people bool, get func(s *Settlement) string) settlementField {
	return settlementField{key: key, label: label, kind: kind, get: get, people: people}
}

// amount is a money figure: the engine's figure, the document's field.
func amount(key, label string, people bool, p part, figure func(s *settle.Settlement) decimal.Decimal, doc func(s *Settlement) *string) settlementField {
	return settlementField{key: key, label: label, kind: kindMoney, people: people, part: p,
		figure: figure, doc: doc, get: func(s *Settlement) string { return *doc(s) }}
}

// statementLabel is the field's label in a statement.
func (f settlementField) statementLabel() string {
	if f.long != "" {
		return f.long
	}
	return f.label
}

// settlementFields are SPEC 6's scalar settlement fields, in order.
var settlementFields = []settlementField{
	textField("host", "Host", kindText, true, func(s *Settlement) string { return s.Host }),
	textField("host_name", "Host name", kindText, false, func(s *Settlement) string { return s.HostName }),
	textField("period", "Period", kindText, true, func(s *Settlement) string { return s.Period }),
	textField("period_start", "Period start", kindDate, false, func(s *Settlement) string { return s.PeriodStart }),
	textField("period_end", "Period end", kindDate, false, func(s *Settlement) string { return s.PeriodEnd }),
	textField("currency", "Currency", kindText, false, func(s *Settlement) string { return s.Currency }),
	withLong("Gross revenue", amount("gross", "Gross", true, partRevenue,
		func(s *settle.Settlement) decimal.Decimal { return s.Gross }, func(s *Settlement) *string { return &s.Gross })),
	amount("refunds", "Refunds", false, partRevenue,
		func(s *settle.Settlement) decimal.Decimal { return s.Refunds }, func(s *Settlement) *string { return &s.Refunds }),
	amount("taxes", "Taxes", false, partRevenue,
		func(s *settle.Settlement) decimal.Decimal { return s.Taxes }, func(s *Settlement) *string { return &s.Taxes }),
	amount("fees", "Fees", false, partRevenue,
		func(s *settle.Settlement) decimal.Decimal { return s.Fees }, func(s *Settlement) *string { return &s.Fees }),
	amount("credits", "Credits", false, partRevenue,
		func(s *settle.Settlement) decimal.Decimal { return s.Credits }, func(s *Settlement) *string { return &s.Credits }),
	amount("basis", "Basis", true, partRevenue,
		func(s *settle.Settlement) decimal.Decimal { return s.Basis }, func(s *Settlement) *string { return &s.Basis }),
	amount("share", "Share", true, partShare,
		func(s *settle.Settlement) decimal.Decimal { return s.Share }, func(s *Settlement) *string { return &s.Share }),
	amount("minimum_topup", "Minimum top-up", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return s.MinimumTopup }, func(s *Settlement) *string { return &s.MinimumTopup }),
	amount("cap_reduction", "Cap reduction", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return s.CapReduction }, func(s *Settlement) *string { return &s.CapReduction }),
	amount("advance_recouped", "Advance recouped", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return s.AdvanceRecouped }, func(s *Settlement) *string { return &s.AdvanceRecouped }),
	amount("advance_remaining", "Advance remaining", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return s.AdvanceRemaining }, func(s *Settlement) *string { return &s.AdvanceRemaining }),
	amount("carried_in", "Carried in", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return s.CarriedIn }, func(s *Settlement) *string { return &s.CarriedIn }),
	amount("carried_out", "Carried out", true, partAdjustment,
		func(s *settle.Settlement) decimal.Decimal { return s.CarriedOut }, func(s *Settlement) *string { return &s.CarriedOut }),
	amount("payable", "Payable", true, partPayable,
		func(s *settle.Settlement) decimal.Decimal { return s.Payable }, func(s *Settlement) *string { return &s.Payable }),
	textField("due_date", "Due date", kindDate, true, func(s *Settlement) string { return str(s.DueDate) }),
}

// withLong gives f a label of its own in statements.
func withLong(long string, f settlementField) settlementField {
	f.long = long
	return f
}

// figureFields are the money figures of settlementFields in part p, in
// order.
func figureFields(p part) []settlementField {
	var out []settlementField
	for _, f := range settlementFields {
		if f.figure != nil && f.part == p {
			out = append(out, f)
		}
	}
	return out
}

// figures are a settlement's money figures by key, formatted by m: what
// explain prints.
func figures(s *settle.Settlement, m func(decimal.Decimal) string) map[string]string {
	out := make(map[string]string, len(settlementFields))
	for _, f := range settlementFields {
		if f.figure != nil {
			out[f.key] = m(f.figure(s))
		}
	}
	return out
}

// priorAdjustmentsField is SPEC 9's prior_adjustments (the sum of the
// adjustments lines): in a ledger run's settlements every format shows it,
// just before payable, with the JSON's sign (a negative adjustment is
// negative, it is not a reduction named as such). Outside a ledger run the
// JSON has no such key and no format has the column.
var priorAdjustmentsField = textField("prior_adjustments", "Prior adjustments", kindMoney, true,
	func(s *Settlement) string { return str(s.PriorAdjustments) })

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
