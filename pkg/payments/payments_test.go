package payments

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
)

const agreementYAML = `schema: llamashare/v1
currency: USD
period: quarter
fx:
  rates: rates.csv
  method: period-end
hosts:
  aws:
    aliases: [AWS, Amazon Bedrock]
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
  groq:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
`

const ratesCSV = `date,currency,rate
2025-03-01,EUR,1.10
2025-04-01,EUR,1.20
2025-04-01,JPY,0.0066
`

// setup writes the agreement, its rates and the named files into a fresh
// folder and returns the agreement and the folder.
func setup(t *testing.T, files map[string]string) (*agreement.Agreement, string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("agreement.yaml", agreementYAML)
	write("rates.csv", ratesCSV)
	for name, text := range files {
		write(name, text)
	}
	ag, err := agreement.Load(filepath.Join(dir, "agreement.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return ag, dir
}

func readIn(t *testing.T, ag *agreement.Agreement, dir string, opts Options, names ...string) ([]Payment, []Input, error) {
	t.Helper()
	rates, err := LoadRates(ag)
	if err != nil {
		t.Fatal(err)
	}
	opts.Agreement, opts.Rates = ag, rates
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}
	return Read(paths, opts)
}

func TestReadGood(t *testing.T) {
	ag, dir := setup(t, map[string]string{"p.csv": "\ufeffDate , HOST,Amount,Currency,Reference,Memo\r\n" +
		"2025-05-10,Amazon Bedrock,\"$1,234.50\",,wire 7\r\n" +
		"2025-03-15,groq,(100.00),USD,refund\r\n" +
		"2025-03-31,aws,1000,EUR,eur pay\r\n" + // rate of 2025-03-01: 1.10
		"2025-04-01,aws,1000,eur,\r\n" + // the rate dated that day: 1.20
		"2025-04-02,aws,10001,JPY,yen\r\n" + // 66.0066 → 66.01
		"\r\n"})
	var warnings []string
	ps, ins, err := readIn(t, ag, dir, Options{Warn: func(m string) { warnings = append(warnings, m) }}, "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], `"Memo"`) {
		t.Errorf("warnings = %q, want one naming Memo", warnings)
	}
	want := []struct{ host, date, amount, cur, orig, ref string }{
		{"aws", "2025-03-31", "1100.00", "EUR", "1000", "eur pay"},
		{"aws", "2025-04-01", "1200.00", "EUR", "1000", ""},
		{"aws", "2025-04-02", "66.01", "JPY", "10001", "yen"},
		{"aws", "2025-05-10", "1234.50", "USD", "1234.5", "wire 7"},
		{"groq", "2025-03-15", "-100.00", "USD", "-100", "refund"},
	}
	if len(ps) != len(want) {
		t.Fatalf("got %d payments, want %d: %+v", len(ps), len(want), ps)
	}
	for i, w := range want {
		p := ps[i]
		got := []string{p.Host, p.Date.Format("2006-01-02"), p.Amount.StringFixed(2), p.Currency, p.Original.String(), p.Reference}
		exp := []string{w.host, w.date, w.amount, w.cur, w.orig, w.ref}
		if strings.Join(got, "|") != strings.Join(exp, "|") {
			t.Errorf("payment %d = %v, want %v", i, got, exp)
		}
	}
	if ins[0].Rows != 5 || ins[0].Rejected != 0 || len(ins[0].SHA256) != 64 {
		t.Errorf("input = %+v", ins[0])
	}
}

func TestReadBadRows(t *testing.T) {
	body := "date,host,amount,currency\n" +
		"2025-13-01,aws,1,\n" +
		"2025-04-01,azure,1,\n" +
		"2025-04-01,aws,1e3,\n" +
		"2025-04-01,aws,,\n" +
		"2025-04-01,aws,5,ABC\n" +
		"2025-01-01,aws,5,EUR\n" + // before the first EUR rate
		"2025-04-01,aws,12.3.4,\n" +
		"2025-04-01,aws,7.00,\n"
	want := []string{
		"p.csv:2: date: invalid date \"2025-13-01\" (want YYYY-MM-DD)",
		"p.csv:3: host: unknown host \"azure\"",
		"p.csv:4: amount: invalid amount \"1e3\"",
		"p.csv:5: amount: empty amount",
		"p.csv:6: currency: \"ABC\" is not an ISO 4217 currency code",
		"p.csv:7: currency: no EUR rate on or before 2025-01-01",
		"p.csv:8: amount: invalid amount \"12.3.4\"",
	}
	ag, dir := setup(t, map[string]string{"p.csv": body})
	_, ins, err := readIn(t, ag, dir, Options{}, "p.csv")
	if err == nil {
		t.Fatal("want an error")
	}
	msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	if len(ins) != 1 || ins[0].Rows != 8 || ins[0].Rejected != 7 {
		t.Errorf("inputs = %+v, want 8 rows, 7 rejected", ins)
	}

	// With a Reject callback the good row is kept and the bad ones handed over.
	var got []ingest.BadRow
	ps, _, err := readIn(t, ag, dir, Options{Reject: func(b ingest.BadRow) error { got = append(got, b); return nil }}, "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Amount.StringFixed(2) != "7.00" || len(got) != 7 {
		t.Fatalf("payments %v, rejects %d", ps, len(got))
	}
	if got[1].Line != 3 || got[1].Column != "host" || strings.Join(got[1].Fields, ",") != "2025-04-01,azure,1," {
		t.Errorf("reject = %+v", got[1])
	}
}

func TestReadNoFX(t *testing.T) {
	dir := t.TempDir()
	yaml := strings.Replace(agreementYAML, "fx:\n  rates: rates.csv\n  method: period-end\n", "", 1)
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	ag, err := agreement.Load(filepath.Join(dir, "a.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.csv"), []byte("date,host,amount,currency\n2025-04-01,aws,5,EUR\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = readIn(t, ag, dir, Options{}, "p.csv")
	if err == nil || !strings.Contains(err.Error(), "p.csv:2: currency: a payment in EUR needs fx rates") {
		t.Errorf("err = %v", err)
	}
}

func TestReadFileProblems(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("date,host,amount\n2025-04-01,aws,5\n"))
	zw.Close()
	ag, dir := setup(t, map[string]string{
		"a.csv":      "date,host,amount\n2025-04-01,aws,5\n",
		"copy.csv":   "date,host,amount\n2025-04-01,aws,5\n",
		"nohost.csv": "date,amount\n",
		"dup.csv":    "date,host,amount,Amount\n",
		"empty.csv":  "",
		"u16.csv":    "\xff\xfed\x00a\x00",
		"p.csv.gz":   gz.String(),
	})
	cases := []struct {
		files []string
		want  string
	}{
		{[]string{"a.csv", "a.csv"}, "a.csv: payments file given twice"},
		{[]string{"a.csv", "link.csv"}, "link.csv: payments file given twice (also as"},
		{[]string{"a.csv", "copy.csv"}, "copy.csv: same content as"},
		{[]string{"nohost.csv"}, "nohost.csv:1: missing column host"},
		{[]string{"dup.csv"}, "dup.csv:1: duplicate column \"amount\""},
		{[]string{"empty.csv"}, "empty.csv: empty file"},
		{[]string{"u16.csv"}, "u16.csv: file is UTF-16"},
		{[]string{"missing.csv"}, "missing.csv: cannot open: no such file or directory"},
	}
	if err := os.Symlink("a.csv", filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		_, _, err := readIn(t, ag, dir, Options{}, c.files...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.files, err, c.want)
		}
	}
	ps, _, err := readIn(t, ag, dir, Options{}, "p.csv.gz")
	if err != nil || len(ps) != 1 {
		t.Errorf("gzip: %v %v", ps, err)
	}

	old := maxSize
	maxSize = 20
	defer func() { maxSize = old }()
	_, _, err = readIn(t, ag, dir, Options{}, "a.csv")
	if err == nil || !strings.Contains(err.Error(), "larger than 20 bytes") {
		t.Errorf("size cap: err = %v", err)
	}
}
