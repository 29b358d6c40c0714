package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/balance"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/period"
)

// balancesDoc: aws owes Q1 (1,000.00 due 2025-05-15, 400.00 paid) and has
// Q2 (500.00) not yet due on 2025-06-30; groq overpaid by 20.00.
func balancesDoc(t *testing.T) *BalancesDocument {
	t.Helper()
	ag := &agreement.Agreement{Path: "agreement.yaml", SHA256: "abc", Currency: "USD",
		Rounding: money.Rounding{Mode: money.HalfUp, Scale: 2},
		Hosts:    []*agreement.Host{{ID: "aws", Name: "Amazon Web Services"}, {ID: "groq"}}}
	ag.Index()
	q := func(s string) period.Period { p, _ := period.Parse(s); return p }
	date := func(s string) time.Time { d, _ := period.ParseDate(s); return d }
	due := func(s string) *time.Time { d := date(s); return &d }
	d := decimal.RequireFromString
	sts := []balance.Statement{
		{Host: "aws", Period: q("2025-Q1"), Issued: date("2025-04-02"), Payable: d("1000"), PriorAdjustments: decimal.Zero, DueDate: due("2025-05-15")},
		{Host: "aws", Period: q("2025-Q2"), Issued: date("2025-06-30"), Payable: d("500"), PriorAdjustments: decimal.Zero, DueDate: due("2025-08-14")},
		{Host: "groq", Period: q("2025-Q1"), Issued: date("2025-04-02"), Payable: d("80"), PriorAdjustments: decimal.Zero, DueDate: due("2025-05-15")},
	}
	one := decimal.NewFromInt(1)
	pays := []payments.Payment{
		{Path: "p.csv", Line: 2, Host: "aws", Date: date("2025-05-20"), Amount: d("400"), Original: d("400"), Currency: "USD", Rate: one, Reference: "w1"},
		{Path: "p.csv", Line: 3, Host: "groq", Date: date("2025-05-01"), Amount: d("100"), Original: d("100"), Currency: "USD", Rate: one},
	}
	r := balance.Compute(sts, pays, date("2025-06-30"))
	return BuildBalances(r, BalancesMeta{Version: "test", Agreement: ag, LedgerPath: "ledger", LedgerPeriods: []string{"2025-Q1", "2025-Q2"},
		Inputs: []PaymentsInput{{Path: "p.csv", SHA256: "def", Rows: 2, Applied: 2}}})
}

func TestBalancesJSON(t *testing.T) {
	doc := balancesDoc(t)
	var buf bytes.Buffer
	if err := WriteBalancesJSON(&buf, doc); err != nil {
		t.Fatal(err)
	}
	var back struct {
		AsOf  string `json:"as_of"`
		Hosts []struct {
			Host, Issued, Paid, Balance, Credit string
			PastDue                             string            `json:"past_due"`
			Aging                               map[string]string `json:"aging"`
			Statements                          []struct {
				Period      string
				Open        string
				DaysPastDue int     `json:"days_past_due"`
				Bucket      *string `json:"bucket"`
			}
		}
		Totals struct {
			Balance, Credit string
			PastDue         string `json:"past_due"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	aws, groq := back.Hosts[0], back.Hosts[1]
	if back.AsOf != "2025-06-30" || aws.Issued != "1500.00" || aws.Paid != "400.00" || aws.Balance != "1100.00" ||
		aws.PastDue != "600.00" || aws.Aging["31-60"] != "600.00" || aws.Aging["current"] != "500.00" {
		t.Errorf("aws = %+v", aws)
	}
	if s := aws.Statements[0]; s.Open != "600.00" || s.DaysPastDue != 46 || s.Bucket == nil || *s.Bucket != "31-60" {
		t.Errorf("aws Q1 = %+v", s)
	}
	if groq.Balance != "-20.00" || groq.Credit != "20.00" || groq.Aging["current"] != "-20.00" {
		t.Errorf("groq = %+v", groq)
	}
	if back.Totals.Balance != "1080.00" || back.Totals.Credit != "20.00" || back.Totals.PastDue != "600.00" {
		t.Errorf("totals = %+v", back.Totals)
	}
	// Keys in the documented order.
	text := buf.String()
	last := -1
	for _, k := range []string{`"schema"`, `"tool"`, `"agreement"`, `"ledger"`, `"payments"`, `"currency"`, `"as_of"`, `"buckets"`, `"hosts"`, `"totals"`} {
		i := strings.Index(text, k)
		if i < last {
			t.Errorf("key %s out of order", k)
		}
		last = i
	}
	if !strings.Contains(text, `"current": "500.00",`+"\n"+`        "1-30": "0.00"`) {
		t.Errorf("aging not in bucket order:\n%s", text)
	}
	if !doc.PastDue() {
		t.Error("PastDue() = false")
	}
}

func TestBalancesTableCSVMarkdown(t *testing.T) {
	doc := balancesDoc(t)
	var tb, cb, mb bytes.Buffer
	if err := WriteBalancesTable(&tb, doc, 2); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Balances as of 2025-06-30 (USD)", "| aws   | 1,500.00 | 400.00 | 1,100.00 |  500.00 |", "Total", "Open statements", "| aws  | 2025-Q1 | 2025-05-15 | 1,000.00 | 400.00 | 600.00 |            46 |"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	if err := WriteBalancesCSV(&cb, doc); err != nil {
		t.Fatal(err)
	}
	wantCSV := "host,host_name,currency,as_of,issued,paid,balance,credit,past_due,current,1-30,31-60,61-90,90+,open_statements,oldest_due_date\n" +
		"aws,Amazon Web Services,USD,2025-06-30,1500.00,400.00,1100.00,0.00,600.00,500.00,0.00,600.00,0.00,0.00,2,2025-05-15\n" +
		"groq,groq,USD,2025-06-30,80.00,100.00,-20.00,20.00,0.00,-20.00,0.00,0.00,0.00,0.00,0,\n"
	if cb.String() != wantCSV {
		t.Errorf("csv:\n%s\nwant\n%s", cb.String(), wantCSV)
	}
	if err := WriteBalancesMarkdown(&mb, doc, 2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mb.String(), "# Balances as of 2025-06-30 (USD)") || !strings.Contains(mb.String(), "**1,080.00**") {
		t.Errorf("markdown:\n%s", mb.String())
	}
}

func TestBalancesXLSX(t *testing.T) {
	doc := balancesDoc(t)
	var a, b bytes.Buffer
	if err := WriteBalancesXLSX(&a, doc, 2); err != nil {
		t.Fatal(err)
	}
	if err := WriteBalancesXLSX(&b, doc, 2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs gave different bytes")
	}
	f := openXLSX(t, a.Bytes())
	if got := numericCell(t, f, SheetBalances, "G2"); got.String() != "1100" {
		t.Errorf("aws balance cell = %s", got)
	}
	if got := numericCell(t, f, SheetBalances, "G4"); got.String() != "1080" {
		t.Errorf("total balance cell = %s", got)
	}
	if v, _ := f.GetCellValue(SheetOpen, "B2"); v != "2025-Q1" {
		t.Errorf("open B2 = %q", v)
	}
	if v, _ := f.GetCellValue(SheetPayments, "G2"); v != "w1" {
		t.Errorf("payments G2 = %q", v)
	}
}
