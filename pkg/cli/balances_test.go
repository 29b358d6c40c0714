package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/cli"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ledger"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// closeLedger closes each period with its file, dated on, into dir/ledger
// (through the ledger package, as `close` does).
func closeLedger(t *testing.T, dir string, closes []struct{ period, file, on string }) string {
	t.Helper()
	ag, err := agreement.Load(filepath.Join(dir, "agreement.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rates *fx.Table
	if ag.FX != nil {
		if rates, err = fx.Load(filepath.Join(dir, ag.FX.Rates), ag.FX.Method); err != nil {
			t.Fatal(err)
		}
	}
	led := filepath.Join(dir, "ledger")
	for _, c := range closes {
		l, err := ledger.Load(led)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := period.Parse(c.period)
		on, _ := period.ParseDate(c.on)
		r := &ledger.Run{Agreement: ag, Rates: rates, Ledger: l}
		col, err := settle.Collect(settle.Options{Agreement: ag, Periods: []period.Period{p}}, l.Closed, []string{filepath.Join(dir, c.file)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range col.Files {
			r.Inputs = append(r.Inputs, ledger.NewInput{Collected: f})
		}
		src, err := ledger.ReadSources(r)
		if err != nil {
			t.Fatal(err)
		}
		e, _, err := ledger.Close(r, p, on, src, "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ledger.Write(led, e); err != nil {
			t.Fatal(err)
		}
	}
	return led
}

// balancesFixture: aws paid Q1 late and owes Q2, azure overpaid (in EUR),
// groq paid part of Q1 on its due date; Q1 closed 2025-04-03, Q2 2025-07-03.
func balancesFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"agreement.yaml": `schema: llamashare/v1
currency: USD
period: quarter
fx:
  rates: rates.csv
  method: period-end
hosts:
  aws:
    name: Amazon Web Services
    aliases: [AWS]
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
        payout: {due_days: 45}
  azure:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
  groq:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
`,
		"rates.csv": "date,currency,rate\n2025-01-01,EUR,1.10\n2025-07-01,EUR,1.20\n",
		"q1.csv":    "date,host,product,gross\n2025-02-10,aws,m,100000\n2025-02-11,azure,m,40000\n2025-02-12,groq,m,20000\n",
		"q2.csv":    "date,host,product,gross\n2025-05-10,aws,m,50000\n2025-05-11,azure,m,30000\n2025-05-12,groq,m,10000\n",
		"payments.csv": "date,host,amount,currency,reference\n" +
			"2025-04-25,azure,4000.00,,INV-Q1\n" +
			"2025-04-30,Groq,\"1,500.00\",,part of Q1\n" +
			"2025-06-10,AWS,$10000,,late wire\n" +
			"2025-07-20,azure,2950.00,EUR,INV-Q2\n" +
			"2025-10-15,aws,5000.00,,after as-of\n",
		"bad.csv": "date,host,amount\n2025-04-25,azure,4000\n2025-04-26,oracle,1\n2025-04-27,aws,1e3\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	closeLedger(t, dir, []struct{ period, file, on string }{{"2025-Q1", "q1.csv", "2025-04-03"}, {"2025-Q2", "q2.csv", "2025-07-03"}})
	return dir
}

func runIn(dir string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Main(args, &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, WorkingDir: dir})
	return code, out.String(), errOut.String()
}

func TestBalancesCommand(t *testing.T) {
	dir := balancesFixture(t)
	j := func(n string) string { return filepath.Join(dir, n) }
	base := []string{"balances", "-a", j("agreement.yaml"), "--ledger", j("ledger"), "--payments", j("payments.csv")}

	code, out, errOut := runIn(dir, append(base, "--as-of", "2025-09-30")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `Balances as of 2025-09-30 (USD)

+-------+-----------+-----------+----------+---------+------+----------+----------+--------+----------+
| Host  |    Issued |      Paid |  Balance | Current | 1-30 |    31-60 |    61-90 |    90+ | Past due |
+-------+-----------+-----------+----------+---------+------+----------+----------+--------+----------+
| aws   | 15,000.00 | 10,000.00 | 5,000.00 |    0.00 | 0.00 | 5,000.00 |     0.00 |   0.00 | 5,000.00 |
| azure |  7,000.00 |  7,540.00 |  -540.00 | -540.00 | 0.00 |     0.00 |     0.00 |   0.00 |     0.00 |
| groq  |  3,000.00 |  1,500.00 | 1,500.00 |    0.00 | 0.00 |     0.00 | 1,000.00 | 500.00 | 1,500.00 |
+-------+-----------+-----------+----------+---------+------+----------+----------+--------+----------+
| Total | 25,000.00 | 19,040.00 | 5,960.00 | -540.00 | 0.00 | 5,000.00 | 1,000.00 | 500.00 | 6,500.00 |
+-------+-----------+-----------+----------+---------+------+----------+----------+--------+----------+

Open statements

+------+---------+------------+----------+----------+----------+---------------+
| Host | Period  | Due date   |  Payable |     Paid |     Open | Days past due |
+------+---------+------------+----------+----------+----------+---------------+
| aws  | 2025-Q2 | 2025-08-14 | 5,000.00 |     0.00 | 5,000.00 |            47 |
| groq | 2025-Q1 | 2025-04-30 | 2,000.00 | 1,500.00 |   500.00 |           153 |
| groq | 2025-Q2 | 2025-07-30 | 1,000.00 |     0.00 | 1,000.00 |            62 |
+------+---------+------------+----------+----------+----------+---------------+
`
	if out != want {
		t.Errorf("table:\n%s\nwant\n%s", out, want)
	}
	if !strings.Contains(errOut, "payments.csv: 5 payment rows = 4 applied + 1 after the as-of date + 0 rejected") {
		t.Errorf("stderr: %s", errOut)
	}
	// The same --as-of gives the same bytes, in every format.
	for _, o := range []string{"table", "json", "csv", "md"} {
		_, a, _ := runIn(dir, append(base, "--as-of", "2025-09-30", "-o", o)...)
		_, b, _ := runIn(dir, append(base, "--as-of", "2025-09-30", "-o", o)...)
		if a != b || a == "" {
			t.Errorf("-o %s: two runs differ or are empty", o)
		}
	}
	_, js, _ := runIn(dir, append(base, "--as-of", "2025-09-30", "-o", "json")...)
	for _, w := range []string{`"schema": "llamashare/balances/v1"`, `"as_of": "2025-09-30"`, `"periods": [
      "2025-Q1",
      "2025-Q2"
    ]`, `"credit": "540.00"`, `"paid_on": "2025-06-10"`, `"issued_on": "2025-04-03"`, `"after_as_of": 1`} {
		if !strings.Contains(js, w) {
			t.Errorf("json lacks %s:\n%s", w, js)
		}
	}
	// xlsx through --out, twice the same bytes.
	for _, name := range []string{"a.xlsx", "b.xlsx"} {
		if code, _, e := runIn(dir, append(base, "--as-of", "2025-09-30", "--out", j(name))...); code != 0 {
			t.Fatalf("xlsx: %s", e)
		}
	}
	a, _ := os.ReadFile(j("a.xlsx"))
	b, _ := os.ReadFile(j("b.xlsx"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("xlsx: two runs differ")
	}

	// --fail-overdue: nothing past due on 2025-04-30 (groq's part payment
	// came on its due date), exit 0; the day after, exit 1.
	if code, _, e := runIn(dir, append(base, "--as-of", "2025-04-30", "--fail-overdue")...); code != 0 {
		t.Errorf("2025-04-30: exit %d: %s", code, e)
	}
	code, out, errOut = runIn(dir, append(base, "--as-of", "2025-05-01", "--fail-overdue")...)
	if code != 1 || !strings.Contains(out, "| groq | 2025-Q1 | 2025-04-30 |  2,000.00 | 1,500.00 |    500.00 |             1 |") ||
		!strings.Contains(errOut, "past due as of 2025-05-01: USD 500.00") {
		t.Errorf("2025-05-01: exit %d\n%s\n%s", code, out, errOut)
	}

	// The default as-of is today, said on stderr.
	_, _, errOut = runIn(dir, base...)
	if !strings.Contains(errOut, "balances as of "+time.Now().UTC().Format("2006-01-02")+" (today") {
		t.Errorf("default as-of: %s", errOut)
	}

	// Without -a and no ./agreement.yaml the ledger's own agreement serves.
	other := t.TempDir()
	if code, out, e := runIn(other, "balances", "--ledger", j("ledger"), "--payments", j("payments.csv"), "--as-of", "2025-09-30"); code != 0 || !strings.Contains(out, "| Total | 25,000.00 | 19,040.00 | 5,960.00 |") {
		t.Errorf("ledger's agreement: exit %d\n%s%s", code, out, e)
	}
}

func TestBalancesBadInput(t *testing.T) {
	dir := balancesFixture(t)
	j := func(n string) string { return filepath.Join(dir, n) }
	base := []string{"balances", "-a", j("agreement.yaml"), "--ledger", j("ledger"), "--as-of", "2025-09-30"}

	code, _, errOut := runIn(dir, append(base, "--payments", j("bad.csv"), "--out", j("out.json"))...)
	for _, w := range []string{"bad.csv:3: host: unknown host \"oracle\"", "bad.csv:4: amount: invalid amount \"1e3\"", "bad.csv: 3 payment rows = 1 read + 2 rejected", "hint: use --rejects"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if _, err := os.Stat(j("out.json")); !os.IsNotExist(err) {
		t.Error("out.json written by a failing run")
	}

	code, _, errOut = runIn(dir, append(base, "--payments", j("bad.csv"), "--rejects", j("rej.csv"))...)
	rej, _ := os.ReadFile(j("rej.csv"))
	if code != 0 || !strings.Contains(errOut, "1 applied + 0 after the as-of date + 2 rejected") || !strings.Contains(string(rej), "file,line,reason,date,host,amount\n") {
		t.Errorf("--rejects: exit %d\n%s\n%s", code, errOut, rej)
	}

	// --strict: an ignored column is an error, nothing written.
	if err := os.WriteFile(j("memo.csv"), []byte("date,host,amount,memo\n2025-04-25,azure,1,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runIn(dir, append(base, "--payments", j("memo.csv"), "--strict", "--out", j("strict.json"))...)
	if _, err := os.Stat(j("strict.json")); code != 2 || !strings.Contains(errOut, `ignored columns "memo"`) || !os.IsNotExist(err) {
		t.Errorf("--strict: exit %d: %s", code, errOut)
	}

	code, _, errOut = runIn(dir, append(base, "--payments", j("payments.csv"), "--payments", j("payments.csv"))...)
	if code != 2 || !strings.Contains(errOut, "payments file given twice") {
		t.Errorf("twice: exit %d: %s", code, errOut)
	}
	code, _, errOut = runIn(dir, "balances", "-a", j("agreement.yaml"), "--payments", j("payments.csv"))
	if code != 2 || !strings.Contains(errOut, "balances needs --ledger DIR") {
		t.Errorf("no ledger: exit %d: %s", code, errOut)
	}
	code, _, errOut = runIn(dir, append(base[:len(base)-1], "2025-13-01", "--payments", j("payments.csv"))...)
	if code != 2 || !strings.Contains(errOut, "invalid date") {
		t.Errorf("bad as-of: exit %d: %s", code, errOut)
	}
}
