package settle

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/period"
)

// rowsAgreement: aws from 2025-Q1 with a rule for llama-* only; groq from
// 2025-Q2; EUR through fx.
const rowsAgreement = `schema: llamashare/v1
currency: USD
period: quarter
fx: {rates: fx.csv}
hosts:
  aws:
    terms:
      - from: 2025-01-01
        rates:
          - products: ["llama-*"]
            rate: 10%
  groq:
    terms:
      - from: 2025-04-01
        rates:
          - rate: 5%
`

// badCSV has one good row and one bad row of each kind the reader and
// the checks find.
const badCSV = `date,host,product,currency,gross
2025-01-05,aws,llama-3,USD,10.00
2025-01-05,nobody,llama-3,USD,10.00
2025-01-06,aws,llama-3,USD,1e3
2025-01-07,groq,llama-3,USD,1.00
2025-01-08,aws,mistral-7b,USD,1.00
2024-12-31,aws,llama-3,EUR,1.00
2025-13-01,aws,llama-3,USD,1.00
2025-07-01,aws,llama-3,USD,1.00
`

var badWant = []string{
	`bad.csv:3: host: unknown host "nobody"`,
	`bad.csv:4: gross: invalid amount "1e3": unexpected 'e'`,
	`bad.csv:5: no terms of host groq cover 2025-Q1`,
	`bad.csv:6: product: no rule of host aws's terms for 2025-Q1 matches product "mistral-7b"`,
	`bad.csv:7: no terms of host aws cover 2024-Q4`,
	`bad.csv:8: date: invalid date "2025-13-01" (want YYYY-MM-DD or an RFC 3339 timestamp)`,
}

// inMemory returns the options of a run under files["agreement.yaml"]
// that reads files (inputs, fx rates) from memory.
func inMemory(t *testing.T, files map[string]string) Options {
	t.Helper()
	ag, err := agreement.Decode("agreement.yaml", []byte(files["agreement.yaml"]))
	if err != nil {
		t.Fatal(err)
	}
	return Options{Agreement: ag, Files: memFiles(files)}
}

func q(s string) []period.Period {
	p, _ := period.Parse(s)
	return []period.Period{p}
}

// Run and Validate find the same bad rows (one classification serves
// both); Run fails listing all of them, Validate goes on after a file it
// cannot read and reports every file's reconciliation.
func TestValidateAndRunAgree(t *testing.T) {
	opts := inMemory(t, map[string]string{
		"agreement.yaml": rowsAgreement,
		"fx.csv":         "date,currency,rate\n2025-01-01,EUR,1.1\n",
		"bad.csv":        badCSV,
		"good.csv":       "date,host,product,gross\n2025-02-01,AWS,llama-4,5\n",
	})
	opts.Periods = q("2025-Q1")

	_, err := Run(opts, []string{"good.csv", "bad.csv"})
	if err == nil {
		t.Fatal("Run: no error")
	}
	check(t, "Run", err.Error()+"\n", strings.Join(badWant, "\n")+"\n")
	var l diag.List
	if !errors.As(err, &l) || len(l) != len(badWant) {
		t.Errorf("Run's error as a diag.List: %v (%d)", errors.As(err, &l), len(l))
	}

	checked, err := Validate(opts, []string{"good.csv", "missing.csv", "bad.csv"})
	if err == nil {
		t.Fatal("Validate: no error")
	}
	want := append([]string{"missing.csv: cannot open: no such file or directory"}, badWant...)
	check(t, "Validate", err.Error()+"\n", strings.Join(want, "\n")+"\n")
	var got []string
	for _, c := range checked {
		got = append(got, fmt.Sprintf("%s ok=%v format=%s rows=%d settled=%d outside=%d rejected=%d",
			c.Path, c.OK(false), c.Format, c.Rows, c.Settled, c.Outside, c.Rejected))
	}
	check(t, "checked", strings.Join(got, "\n")+"\n", `
good.csv ok=true format=canonical rows=1 settled=1 outside=0 rejected=0
missing.csv ok=false format= rows=0 settled=0 outside=0 rejected=0
bad.csv ok=false format=canonical rows=8 settled=1 outside=1 rejected=6
`)

	// The good file alone validates.
	checked, err = Validate(opts, []string{"good.csv"})
	if err != nil || len(checked) != 1 || !checked[0].OK(false) {
		t.Errorf("Validate(good.csv) = %+v, %v", checked, err)
	}
	// Without files only the fx rates are read.
	if checked, err := Validate(opts, nil); err != nil || checked != nil {
		t.Errorf("Validate() = %+v, %v", checked, err)
	}
}

// With a reject sink every bad row goes there with its original fields,
// and the reconciliation adds up.
func TestRunRejects(t *testing.T) {
	opts := inMemory(t, map[string]string{
		"agreement.yaml": rowsAgreement,
		"fx.csv":         "date,currency,rate\n2025-01-01,EUR,1.1\n",
		"bad.csv":        badCSV,
	})
	var got []string
	opts.Periods = q("2025-Q1")
	opts.Reject = func(b ingest.BadRow) error {
		got = append(got, fmt.Sprintf("%d|%s|%s", b.Line, b.Column, strings.Join(b.Fields, ",")))
		return nil
	}
	res, err := Run(opts, []string{"bad.csv"})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "rejected", strings.Join(got, "\n")+"\n", `
3|host|2025-01-05,nobody,llama-3,USD,10.00
4|gross|2025-01-06,aws,llama-3,USD,1e3
5||2025-01-07,groq,llama-3,USD,1.00
6|product|2025-01-08,aws,mistral-7b,USD,1.00
7||2024-12-31,aws,llama-3,EUR,1.00
8|date|2025-13-01,aws,llama-3,USD,1.00
`)
	in := res.Inputs[0]
	if in.Rows != 8 || in.Settled != 1 || in.Outside != 1 || in.Rejected != 6 {
		t.Errorf("reconciliation %+v", in)
	}
	if s := res.Settlements[0]; s.Gross.StringFixed(2) != "10.00" {
		t.Errorf("gross %s", s.Gross)
	}

	// An error from the sink stops the run.
	opts.Reject = func(ingest.BadRow) error { return errors.New("disk full") }
	if _, err := Run(opts, []string{"bad.csv"}); err == nil || err.Error() != "disk full" {
		t.Errorf("Run with a failing sink: %v", err)
	}
}

// Many bad rows: the first 50 are listed, then one line counts the rest.
func TestManyBadRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,host,product,gross\n")
	for i := 0; i < 60; i++ {
		b.WriteString("2025-01-05,aws,llama-3,1e3\n")
	}
	opts := inMemory(t, map[string]string{
		"agreement.yaml": rowsAgreement,
		"fx.csv":         "date,currency,rate\n2025-01-01,EUR,1.1\n",
		"bad60.csv":      b.String(),
	})
	_, err := Run(opts, []string{"bad60.csv"})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 51 {
		t.Fatalf("%d lines, want 51:\n%s", len(lines), err)
	}
	if lines[49] != `bad60.csv:51: gross: invalid amount "1e3": unexpected 'e'` {
		t.Errorf("line 50: %s", lines[49])
	}
	if want := "… and 10 more bad rows (60 in all)"; lines[50] != want {
		t.Errorf("last line: %s\nwant:      %s", lines[50], want)
	}
}
