package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/balance"
	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/textsafe"
)

// BalancesSchemaV1 names the JSON output of `balances` (SPEC 10).
const BalancesSchemaV1 = "llamashare/balances/v1"

// BalancesDocument is the JSON output of `balances`: every host's account
// as of a date. Money is text at the rounding scale; keys in this order.
type BalancesDocument struct {
	Schema    string          `json:"schema"`
	Tool      Tool            `json:"tool"`
	Agreement FileRef         `json:"agreement"`
	Ledger    LedgerRef       `json:"ledger"`
	Payments  []PaymentsInput `json:"payments"`
	Currency  string          `json:"currency"`
	AsOf      string          `json:"as_of"`
	Buckets   []string        `json:"buckets"`
	Hosts     []HostBalance   `json:"hosts"`
	Totals    BalanceTotals   `json:"totals"`
}

// LedgerRef names the ledger and the closed periods it held.
type LedgerRef struct {
	Path    string   `json:"path"`
	Periods []string `json:"periods"`
}

// PaymentsInput is one payments file with its reconciliation: rows read =
// applied + after as-of + rejected.
type PaymentsInput struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	Rows     int    `json:"rows"`
	Applied  int    `json:"applied"`
	After    int    `json:"after_as_of"`
	Rejected int    `json:"rejected"`
}

// AgingDoc is the balance by days past due, in bucket order.
type AgingDoc struct {
	Current string `json:"current"`
	D1to30  string `json:"1-30"`
	D31to60 string `json:"31-60"`
	D61to90 string `json:"61-90"`
	Over90  string `json:"90+"`
}

func (a AgingDoc) list() []string {
	return []string{a.Current, a.D1to30, a.D31to60, a.D61to90, a.Over90}
}

// HostBalance is one host's account.
type HostBalance struct {
	Host       string             `json:"host"`
	HostName   string             `json:"host_name"`
	Issued     string             `json:"issued"`
	Paid       string             `json:"paid"`
	Balance    string             `json:"balance"`
	Credit     string             `json:"credit"`
	PastDue    string             `json:"past_due"`
	Aging      AgingDoc           `json:"aging"`
	Statements []StatementBalance `json:"statements"`
	Payments   []PaymentDoc       `json:"payments"`
}

// StatementBalance is one issued statement with something payable.
type StatementBalance struct {
	Period           string  `json:"period"`
	IssuedOn         *string `json:"issued_on"`
	DueDate          *string `json:"due_date"`
	Payable          string  `json:"payable"`
	PriorAdjustments string  `json:"prior_adjustments"`
	Paid             string  `json:"paid"`
	Open             string  `json:"open"`
	DaysPastDue      int     `json:"days_past_due"`
	Bucket           *string `json:"bucket"`
	PaidOn           *string `json:"paid_on"`
}

// PaymentDoc is one payment counted in a host's account.
type PaymentDoc struct {
	Date      string `json:"date"`
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Original  string `json:"original_amount"`
	Rate      string `json:"rate"`
	Reference string `json:"reference"`
	File      string `json:"file"`
	Line      int    `json:"line"`
}

// BalanceTotals sums the hosts.
type BalanceTotals struct {
	Issued  string   `json:"issued"`
	Paid    string   `json:"paid"`
	Balance string   `json:"balance"`
	Credit  string   `json:"credit"`
	PastDue string   `json:"past_due"`
	Aging   AgingDoc `json:"aging"`
}

// BalancesMeta is what a balances document says about where it came from.
type BalancesMeta struct {
	Version       string
	Agreement     *agreement.Agreement
	LedgerPath    string
	LedgerPeriods []string
	Inputs        []PaymentsInput
}

// BuildBalances turns a computed report into its document.
func BuildBalances(r balance.Report, m BalancesMeta) *BalancesDocument {
	ag := m.Agreement
	scale := ag.Rounding.Scale
	f := func(d decimal.Decimal) string { return d.StringFixed(scale) }
	aging := func(a balance.Aging) AgingDoc {
		return AgingDoc{f(a[0]), f(a[1]), f(a[2]), f(a[3]), f(a[4])}
	}
	doc := &BalancesDocument{
		Schema: BalancesSchemaV1, Tool: Tool{Name: "llamashare", Version: m.Version},
		Agreement: FileRef{Path: ag.Path, SHA256: ag.SHA256},
		Ledger:    LedgerRef{Path: m.LedgerPath, Periods: nonNil(m.LedgerPeriods)},
		Payments:  m.Inputs, Currency: ag.Currency, AsOf: period.FormatDate(r.AsOf),
		Buckets: balance.Buckets, Hosts: []HostBalance{},
	}
	if doc.Payments == nil {
		doc.Payments = []PaymentsInput{}
	}
	for _, h := range r.Hosts {
		name := h.Host
		if hh := ag.HostByID(h.Host); hh != nil {
			name = hh.DisplayName()
		}
		hb := HostBalance{Host: h.Host, HostName: name, Issued: f(h.Issued), Paid: f(h.Paid), Balance: f(h.Balance),
			Credit: f(h.Credit()), PastDue: f(h.PastDue()), Aging: aging(h.Aging),
			Statements: []StatementBalance{}, Payments: []PaymentDoc{}}
		for _, it := range h.Statements {
			sb := StatementBalance{Period: it.Period.String(), Payable: f(it.Payable), PriorAdjustments: f(it.PriorAdjustments),
				Paid: f(it.Paid), Open: f(it.Open), DaysPastDue: it.DaysPastDue}
			if !it.Issued.IsZero() {
				s := period.FormatDate(it.Issued)
				sb.IssuedOn = &s
			}
			if it.DueDate != nil {
				s := period.FormatDate(*it.DueDate)
				sb.DueDate = &s
			}
			if it.Open.Sign() > 0 {
				b := balance.Buckets[balance.Bucket(it.DaysPastDue)]
				sb.Bucket = &b
			}
			if it.PaidOn != nil {
				s := period.FormatDate(*it.PaidOn)
				sb.PaidOn = &s
			}
			hb.Statements = append(hb.Statements, sb)
		}
		for _, p := range h.Payments {
			hb.Payments = append(hb.Payments, paymentDoc(p, scale))
		}
		doc.Hosts = append(doc.Hosts, hb)
	}
	t := r.Totals
	credit := decimal.Zero
	for _, h := range r.Hosts {
		credit = credit.Add(h.Credit())
	}
	doc.Totals = BalanceTotals{Issued: f(t.Issued), Paid: f(t.Paid), Balance: f(t.Balance), Credit: f(credit),
		PastDue: f(t.Aging.PastDue()), Aging: aging(t.Aging)}
	return doc
}

// paymentDoc is a payment as the document shows it; the original amount
// keeps the decimals it was written with ("5,160.00" is 5160.00, not 5160).
func paymentDoc(p payments.Payment, scale int32) PaymentDoc {
	return PaymentDoc{Date: period.FormatDate(p.Date), Amount: p.Amount.StringFixed(scale), Currency: p.Currency,
		Original: p.Original.StringFixed(max(-p.Original.Exponent(), 0)), Rate: p.Rate.String(), Reference: p.Reference, File: p.Path, Line: p.Line}
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// PastDue reports whether any amount of the document is past due.
func (d *BalancesDocument) PastDue() bool {
	v, err := decimal.NewFromString(d.Totals.PastDue)
	if err != nil {
		return false
	}
	for _, h := range d.Hosts {
		if p, err := decimal.NewFromString(h.PastDue); err == nil && p.Sign() > 0 {
			return true
		}
	}
	return v.Sign() > 0
}

// WriteBalancesJSON writes the document as indented JSON.
func WriteBalancesJSON(w io.Writer, doc *BalancesDocument) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// balanceColumns are the columns of `balances -o csv` (and the xlsx
// Balances sheet): one row per host.
var balanceColumns = []xlsxColumn{
	{"host", kindText}, {"host_name", kindText}, {"currency", kindText}, {"as_of", kindDate},
	{"issued", kindMoney}, {"paid", kindMoney}, {"balance", kindMoney}, {"credit", kindMoney}, {"past_due", kindMoney},
	{"current", kindMoney}, {"1-30", kindMoney}, {"31-60", kindMoney}, {"61-90", kindMoney}, {"90+", kindMoney},
	{"open_statements", kindNumber}, {"oldest_due_date", kindDate},
}

// openColumns are the columns of the open statements (xlsx sheet Open).
var openColumns = []xlsxColumn{
	{"host", kindText}, {"period", kindText}, {"issued_on", kindDate}, {"due_date", kindDate},
	{"payable", kindMoney}, {"paid", kindMoney}, {"open", kindMoney}, {"days_past_due", kindNumber}, {"bucket", kindText},
}

// paymentColumns are the columns of the payments counted (xlsx sheet Payments).
var paymentColumns = []xlsxColumn{
	{"host", kindText}, {"date", kindDate}, {"amount", kindMoney}, {"currency", kindText},
	{"original_amount", kindNumber}, {"rate", kindNumber}, {"reference", kindText}, {"file", kindText}, {"line", kindNumber},
}

func balanceRows(doc *BalancesDocument) [][]string {
	var rows [][]string
	for _, h := range doc.Hosts {
		n, oldest := 0, ""
		for _, s := range h.Statements {
			if s.Bucket != nil {
				n++
				if oldest == "" && s.DueDate != nil {
					oldest = *s.DueDate
				}
			}
		}
		rows = append(rows, append([]string{h.Host, h.HostName, doc.Currency, doc.AsOf, h.Issued, h.Paid, h.Balance, h.Credit, h.PastDue},
			append(h.Aging.list(), strconv.Itoa(n), oldest)...))
	}
	return rows
}

func openRows(doc *BalancesDocument) [][]string {
	var rows [][]string
	for _, h := range doc.Hosts {
		for _, s := range h.Statements {
			if s.Bucket == nil {
				continue
			}
			rows = append(rows, []string{h.Host, s.Period, str(s.IssuedOn), str(s.DueDate), s.Payable, s.Paid, s.Open,
				strconv.Itoa(s.DaysPastDue), *s.Bucket})
		}
	}
	return rows
}

func paymentRows(doc *BalancesDocument) [][]string {
	var rows [][]string
	for _, h := range doc.Hosts {
		for _, p := range h.Payments {
			rows = append(rows, []string{h.Host, p.Date, p.Amount, p.Currency, p.Original, p.Rate, p.Reference, p.File, strconv.Itoa(p.Line)})
		}
	}
	return rows
}

// WriteBalancesCSV writes one row per host (balanceColumns); a CSV for
// machines carries no totals row.
func WriteBalancesCSV(w io.Writer, doc *BalancesDocument) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := make([]string, len(balanceColumns))
	for i, c := range balanceColumns {
		header[i] = c.header
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range balanceRows(doc) {
		if err := cw.Write(textsafe.CSVRecord(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// balancesGrids are the tables people read: the hosts with a totals row,
// then the open statements.
func balancesGrids(doc *BalancesDocument, scale int32) (grid, grid) {
	hosts := grid{
		header:  []string{"Host", "Issued", "Paid", "Balance", "Current", "1-30", "31-60", "61-90", "90+", "Past due"},
		numeric: []bool{false, true, true, true, true, true, true, true, true, true},
	}
	for _, h := range doc.Hosts {
		row := []string{h.Host, group(h.Issued, scale), group(h.Paid, scale), group(h.Balance, scale)}
		for _, a := range h.Aging.list() {
			row = append(row, group(a, scale))
		}
		hosts.rows = append(hosts.rows, append(row, group(h.PastDue, scale)))
	}
	t := doc.Totals
	hosts.footer = []string{"Total", group(t.Issued, scale), group(t.Paid, scale), group(t.Balance, scale)}
	for _, a := range t.Aging.list() {
		hosts.footer = append(hosts.footer, group(a, scale))
	}
	hosts.footer = append(hosts.footer, group(t.PastDue, scale))

	open := grid{
		header:  []string{"Host", "Period", "Due date", "Payable", "Paid", "Open", "Days past due"},
		numeric: []bool{false, false, false, true, true, true, true},
	}
	for _, r := range openRows(doc) {
		open.rows = append(open.rows, []string{r[0], r[1], r[3], group(r[4], scale), group(r[5], scale), group(r[6], scale), r[7]})
	}
	return hosts, open
}

func balancesTitle(doc *BalancesDocument) string {
	return fmt.Sprintf("Balances as of %s (%s)", doc.AsOf, doc.Currency)
}

// WriteBalancesTable writes the balances for people: a title with the
// as-of date, the hosts with a totals row, then the open statements.
func WriteBalancesTable(w io.Writer, doc *BalancesDocument, scale int32) error {
	var b strings.Builder
	b.WriteString(balancesTitle(doc) + "\n\n")
	return writeBalancesGrids(w, &b, doc, scale, false)
}

// WriteBalancesMarkdown writes the same as Markdown.
func WriteBalancesMarkdown(w io.Writer, doc *BalancesDocument, scale int32) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(balancesTitle(doc)))
	if doc.Ledger.Path != "" {
		fmt.Fprintf(&b, "Ledger %s", mdEscape(doc.Ledger.Path))
		if n := len(doc.Ledger.Periods); n > 0 {
			fmt.Fprintf(&b, " (%s to %s)", doc.Ledger.Periods[0], doc.Ledger.Periods[n-1])
		}
		for i, in := range doc.Payments {
			sep := "; payments "
			if i > 0 {
				sep = ", "
			}
			fmt.Fprintf(&b, "%s%s", sep, mdEscape(in.Path))
		}
		b.WriteString(".\n\n")
	}
	return writeBalancesGrids(w, &b, doc, scale, true)
}

// writeBalancesGrids adds to b, after its title, the hosts with a totals
// row then the open statements (as a table or as Markdown), and writes b
// to w.
func writeBalancesGrids(w io.Writer, b *strings.Builder, doc *BalancesDocument, scale int32, markdown bool) error {
	hosts, open := balancesGrids(doc, scale)
	if err := hosts.render(b, markdown); err != nil {
		return err
	}
	heading := "Open statements"
	if markdown {
		heading = "## " + heading
	}
	if len(open.rows) == 0 {
		b.WriteString("\nNo open statements.\n")
	} else {
		b.WriteString("\n" + heading + "\n\n")
		if err := open.render(b, markdown); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
