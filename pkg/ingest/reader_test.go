package ingest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/period"
)

// testAgreement is a quarterly USD agreement with hosts aws (aliases AWS,
// Amazon Bedrock) and azure, and the given formats.
func testAgreement(formats ...*agreement.Format) *agreement.Agreement {
	a := &agreement.Agreement{
		Path:     "agreement.yaml",
		Currency: "USD",
		Period:   period.Quarter,
		Hosts: []*agreement.Host{
			{ID: "aws", Aliases: []string{"AWS", "Amazon Bedrock"}},
			{ID: "azure", Name: "Microsoft Azure"},
		},
		Formats: map[string]*agreement.Format{},
	}
	for _, f := range formats {
		a.Formats[f.Name] = f
	}
	a.Index()
	return a
}

type result struct {
	in    Input
	rows  []string
	bad   []string
	warns []string
	err   error
}

// fmtRow renders a good row exactly: line date period host product currency
// gross/refunds/taxes/fees/credits/units, and "ignored" for an ignored row.
func fmtRow(r *Row) string {
	s := fmt.Sprintf("%d %s %s %s %s %s %s/%s/%s/%s/%s/%s", r.Line, period.FormatDate(r.Date), r.Period, r.Host.ID, r.Product, r.Currency,
		r.Gross, r.Refunds, r.Taxes, r.Fees, r.Credits, r.Units)
	if r.Ignored {
		s += " ignored"
	}
	return s
}

func fmtBad(b BadRow) string {
	return fmt.Sprintf("%s:%d: [%s] %s %q", b.Path, b.Line, b.Column, b.Reason, b.Fields)
}

// run writes content to dir/name (gzipped when name ends in .gz) and reads it.
func run(t *testing.T, a *agreement.Agreement, name, content string, opts Options) result {
	t.Helper()
	dir := t.TempDir()
	data := []byte(content)
	if strings.HasSuffix(name, ".gz") {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		data = b.Bytes()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	return read(a, name, opts)
}

func read(a *agreement.Agreement, path string, opts Options) result {
	var res result
	opts.Agreement = a
	opts.Warn = func(m string) { res.warns = append(res.warns, m) }
	res.in, res.err = ReadFile(path, opts, func(r *Row) error {
		res.rows = append(res.rows, fmtRow(r))
		return nil
	}, func(b BadRow) {
		res.bad = append(res.bad, fmtBad(b))
	})
	return res
}

func check(t *testing.T, res result, rows, bad, warns []string, wantErr string) {
	t.Helper()
	gotErr := ""
	if res.err != nil {
		gotErr = res.err.Error()
		var p diag.Problem
		if !errors.As(res.err, &p) {
			t.Errorf("error %T is not a diag.Problem", res.err)
		}
	}
	if gotErr != wantErr {
		t.Errorf("error:\n got %q\nwant %q", gotErr, wantErr)
	}
	if !slices.Equal(res.rows, rows) {
		t.Errorf("rows:\n got %q\nwant %q", res.rows, rows)
	}
	if !slices.Equal(res.bad, bad) {
		t.Errorf("bad rows:\n got %q\nwant %q", res.bad, bad)
	}
	if !slices.Equal(res.warns, warns) {
		t.Errorf("warnings:\n got %q\nwant %q", res.warns, warns)
	}
	if wantErr == "" && res.in.Rows != len(rows)+len(bad) {
		t.Errorf("Input.Rows = %d, want %d", res.in.Rows, len(rows)+len(bad))
	}
}

func TestCanonical(t *testing.T) {
	const H = "date,host,product,gross\n"
	tests := []struct {
		name    string
		file    string
		content string
		rows    []string
		bad     []string
		warns   []string
		err     string
	}{
		{
			name:    "basic",
			content: H + "2025-03-01,aws,Llama-3,100\n",
			rows:    []string{"2 2025-03-01 2025-Q1 aws llama-3 USD 100/0/0/0/0/0"},
		},
		{
			name:    "BOM, CRLF, case and spaces in the header",
			content: "\xEF\xBB\xBF Date ,HOST , Product,GROSS\r\n2025-03-01, AWS ,  Llama-3 ,1.50\r\n2025-04-01,azure,x,2\r\n",
			rows: []string{
				"2 2025-03-01 2025-Q1 aws llama-3 USD 1.5/0/0/0/0/0",
				"3 2025-04-01 2025-Q2 azure x USD 2/0/0/0/0/0",
			},
		},
		{
			name:    "extra columns: one warning",
			content: "date,foo,host,product,gross,Bar,region\n2025-03-01,1,aws,p,1,2,EU\n2025-03-02,1,aws,p,1,2,EU\n",
			rows: []string{
				"2 2025-03-01 2025-Q1 aws p USD 1/0/0/0/0/0",
				"3 2025-03-02 2025-Q1 aws p USD 1/0/0/0/0/0",
			},
			warns: []string{`q1.csv: ignoring columns "foo", "Bar"`},
		},
		{
			name:    "one extra column",
			content: "date,host,product,gross,note\n",
			warns:   []string{`q1.csv: ignoring column "note"`},
		},
		{
			name:    "all columns",
			content: "date,period,host,product,currency,gross,refunds,taxes,fees,credits,units,region\n2025-03-01,2025-03,aws,p,EUR,100,1,2,3,4,\"1,000,000\",EU\n",
			rows:    []string{"2 2025-03-01 2025-Q1 aws p EUR 100/1/2/3/4/1000000"},
		},
		{
			name:    "period only: the label's last day",
			content: "period,host,product,gross\n2025-03,aws,p,10\n2025-q2,aws,p,10\n",
			rows: []string{
				"2 2025-03-31 2025-Q1 aws p USD 10/0/0/0/0/0",
				"3 2025-06-30 2025-Q2 aws p USD 10/0/0/0/0/0",
			},
		},
		{
			name:    "coarser label",
			content: "period,host,product,gross\n2025,aws,p,10\n2025-13,aws,p,10\n",
			bad: []string{
				`q1.csv:2: [period] period 2025 is coarser than the settlement quarter ["2025" "aws" "p" "10"]`,
				`q1.csv:3: [period] invalid period "2025-13" (want YYYY, YYYY-Qn or YYYY-MM) ["2025-13" "aws" "p" "10"]`,
			},
		},
		{
			name:    "date and period: agree, disagree, one of them empty",
			content: "date,period,host,product,gross\n2025-03-31,2025-03,aws,p,1\n2025-04-02,2025-03,aws,p,1\n2025-04-02,,aws,p,1\n,2025-Q3,aws,p,1\n,,aws,p,1\n",
			rows: []string{
				"2 2025-03-31 2025-Q1 aws p USD 1/0/0/0/0/0",
				"4 2025-04-02 2025-Q2 aws p USD 1/0/0/0/0/0",
				"5 2025-09-30 2025-Q3 aws p USD 1/0/0/0/0/0",
			},
			bad: []string{
				`q1.csv:3: [date] date 2025-04-02 is outside period 2025-03 ["2025-04-02" "2025-03" "aws" "p" "1"]`,
				`q1.csv:6: [date] empty date and period ["" "" "aws" "p" "1"]`,
			},
		},
		{
			name: "RFC 3339: the UTC date counts",
			content: H + "2025-03-31T23:30:00-02:00,aws,p,1\n2025-03-31T23:30:00Z,aws,p,1\n2025-03-31T23:30:00.123+01:00,aws,p,1\n" +
				"2025-03-31 22:00:00-02:00,aws,p,1\n2025-04-01t00:30:00+01:00,aws,p,1\n2025-04-01T00:00:00z,aws,p,1\n" +
				"2025-04-01T00:00:00,aws,p,1\n2025-04-01T25:00:00Z,aws,p,1\n2025-04-01X00:00:00Z,aws,p,1\n",
			rows: []string{
				"2 2025-04-01 2025-Q2 aws p USD 1/0/0/0/0/0",
				"3 2025-03-31 2025-Q1 aws p USD 1/0/0/0/0/0",
				"4 2025-03-31 2025-Q1 aws p USD 1/0/0/0/0/0",
				"5 2025-04-01 2025-Q2 aws p USD 1/0/0/0/0/0",
				"6 2025-03-31 2025-Q1 aws p USD 1/0/0/0/0/0",
				"7 2025-04-01 2025-Q2 aws p USD 1/0/0/0/0/0",
			},
			bad: []string{
				`q1.csv:8: [date] invalid date "2025-04-01T00:00:00" (want YYYY-MM-DD or an RFC 3339 timestamp) ["2025-04-01T00:00:00" "aws" "p" "1"]`,
				`q1.csv:9: [date] invalid date "2025-04-01T25:00:00Z" (want YYYY-MM-DD or an RFC 3339 timestamp) ["2025-04-01T25:00:00Z" "aws" "p" "1"]`,
				`q1.csv:10: [date] invalid date "2025-04-01X00:00:00Z" (want YYYY-MM-DD or an RFC 3339 timestamp) ["2025-04-01X00:00:00Z" "aws" "p" "1"]`,
			},
		},
		{
			name:    "bad dates",
			content: H + "2025-02-29,aws,p,1\n03/01/2025,aws,p,1\n,aws,p,1\n2025-3-1,aws,p,1\n",
			bad: []string{
				`q1.csv:2: [date] invalid date "2025-02-29" (want YYYY-MM-DD or an RFC 3339 timestamp) ["2025-02-29" "aws" "p" "1"]`,
				`q1.csv:3: [date] invalid date "03/01/2025" (want YYYY-MM-DD or an RFC 3339 timestamp) ["03/01/2025" "aws" "p" "1"]`,
				`q1.csv:4: [date] empty date ["" "aws" "p" "1"]`,
				`q1.csv:5: [date] invalid date "2025-3-1" (want YYYY-MM-DD or an RFC 3339 timestamp) ["2025-3-1" "aws" "p" "1"]`,
			},
		},
		{
			name: "amounts in every form",
			content: "date,host,product,gross,refunds\n" +
				"2025-01-01,aws,p,1234.56,\n" +
				"2025-01-01,aws,p,-1234.56,0\n" +
				"2025-01-01,aws,p,.70,\n" +
				"2025-01-01,aws,p,\"1,234.56\",\n" +
				"2025-01-01,aws,p,\"(1,234.56)\",\n" +
				"2025-01-01,aws,p,$5,€1.5\n" +
				"2025-01-01,aws,p,£ 7,¥8\n" +
				"2025-01-01,aws,p, 12 ,\n",
			rows: []string{
				"2 2025-01-01 2025-Q1 aws p USD 1234.56/0/0/0/0/0",
				"3 2025-01-01 2025-Q1 aws p USD -1234.56/0/0/0/0/0",
				"4 2025-01-01 2025-Q1 aws p USD 0.7/0/0/0/0/0",
				"5 2025-01-01 2025-Q1 aws p USD 1234.56/0/0/0/0/0",
				"6 2025-01-01 2025-Q1 aws p USD -1234.56/0/0/0/0/0",
				"7 2025-01-01 2025-Q1 aws p USD 5/1.5/0/0/0/0",
				"8 2025-01-01 2025-Q1 aws p USD 7/8/0/0/0/0",
				"9 2025-01-01 2025-Q1 aws p USD 12/0/0/0/0/0",
			},
		},
		{
			name:    "bad amounts",
			content: "date,host,product,gross,refunds\n2025-01-01,aws,p,1e3,\n2025-01-01,aws,p,12.3.4,\n2025-01-01,aws,p,N/A,\n2025-01-01,aws,p,,1\n2025-01-01,aws,p,1,\"1,23\"\n",
			bad: []string{
				`q1.csv:2: [gross] invalid amount "1e3": unexpected 'e' ["2025-01-01" "aws" "p" "1e3" ""]`,
				`q1.csv:3: [gross] invalid amount "12.3.4": unexpected '.' ["2025-01-01" "aws" "p" "12.3.4" ""]`,
				`q1.csv:4: [gross] invalid amount "N/A": unexpected 'N' ["2025-01-01" "aws" "p" "N/A" ""]`,
				`q1.csv:5: [gross] empty amount ["2025-01-01" "aws" "p" "" "1"]`,
				`q1.csv:6: [refunds] invalid amount "1,23": misplaced group separator ',' ["2025-01-01" "aws" "p" "1" "1,23"]`,
			},
		},
		{
			name:    "currency",
			content: "date,host,product,gross,Currency\n2025-01-01,aws,p,1,\n2025-01-01,aws,p,1, eur \n2025-01-01,aws,p,1,euro\n2025-01-01,aws,p,1,U$D\n",
			rows: []string{
				"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0",
				"3 2025-01-01 2025-Q1 aws p EUR 1/0/0/0/0/0",
			},
			bad: []string{
				`q1.csv:4: [Currency] invalid currency "euro" (want a 3-letter ISO 4217 code) ["2025-01-01" "aws" "p" "1" "euro"]`,
				`q1.csv:5: [Currency] invalid currency "U$D" (want a 3-letter ISO 4217 code) ["2025-01-01" "aws" "p" "1" "U$D"]`,
			},
		},
		{
			name:    "hosts: aliases, unknown, empty",
			content: "date,Host,product,gross\n2025-01-01,amazon bedrock,p,1\n2025-01-01, xyz ,p,1\n2025-01-01,AZURE,p,1\n2025-01-01,,p,1\n",
			rows: []string{
				"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0",
				"4 2025-01-01 2025-Q1 azure p USD 1/0/0/0/0/0",
			},
			bad: []string{
				`q1.csv:3: [Host] unknown host "xyz" ["2025-01-01" " xyz " "p" "1"]`,
				`q1.csv:5: [Host] empty host ["2025-01-01" "" "p" "1"]`,
			},
		},
		{
			name:    "ragged rows and empty product",
			content: H + "2025-01-01,aws,p\n2025-01-01,aws,p,1,2\n2025-01-01,aws, ,1\n",
			bad: []string{
				`q1.csv:2: [] row has 3 fields, the header has 4 ["2025-01-01" "aws" "p"]`,
				`q1.csv:3: [] row has 5 fields, the header has 4 ["2025-01-01" "aws" "p" "1" "2"]`,
				`q1.csv:4: [product] empty product ["2025-01-01" "aws" " " "1"]`,
			},
		},
		{
			name:    "blank lines, empty records and multi-line fields keep physical lines",
			content: H + "\n2025-01-01,aws,\"multi\nline\",1\n,,,\n\r\n2025-01-02,aws,p,2\n",
			rows: []string{
				"3 2025-01-01 2025-Q1 aws multi\nline USD 1/0/0/0/0/0",
				"7 2025-01-02 2025-Q1 aws p USD 2/0/0/0/0/0",
			},
		},
		{
			name:    "quoting errors are bad rows",
			content: H + "2025-01-01,aws,p\"q,1\n2025-01-02,aws,p,2\n",
			rows:    []string{"3 2025-01-02 2025-Q1 aws p USD 2/0/0/0/0/0"},
			bad:     []string{`q1.csv:2: [product] bare " in non-quoted-field []`},
		},
		{
			name:    "header only",
			content: H,
		},
		{
			name:    "header only, no newline",
			content: "date,host,product,gross",
		},
		{
			name:    "empty file",
			content: "",
			err:     "q1.csv: empty file: expected a header line",
		},
		{
			name:    "blank lines only",
			content: "\xEF\xBB\xBF\n\r\n\n",
			err:     "q1.csv: empty file: expected a header line",
		},
		{
			name:    "UTF-16 LE with BOM",
			content: "\xFF\xFEd\x00a\x00t\x00e\x00",
			err:     "q1.csv: file is UTF-16; save it as UTF-8",
		},
		{
			name:    "UTF-16 BE without BOM",
			content: "\x00d\x00a\x00t\x00e\x00,\x00h\x00o\x00s\x00t\x00\n",
			err:     "q1.csv: file is UTF-16; save it as UTF-8",
		},
		{
			name:    "missing columns",
			content: "Date,Host,amount\n",
			warns:   []string{`q1.csv: ignoring column "amount"`},
			err:     "q1.csv:1: missing required columns \"product\", \"gross\"\nhint: read as format canonical, the header has \"Date\", \"Host\", \"amount\"",
		},
		{
			name:    "missing date and period",
			content: "\n\nhost,product,gross\n",
			err:     "q1.csv:3: missing required column \"date\" (or \"period\")\nhint: read as format canonical, the header has \"host\", \"product\", \"gross\"",
		},
		{
			name:    "duplicate column",
			content: "date,host,product,gross, GROSS\n",
			err:     `q1.csv:1: duplicate column "gross"`,
		},
		{
			name:    "duplicate ignored columns are fine",
			content: "date,host,product,gross,x,x\n",
			warns:   []string{`q1.csv: ignoring columns "x", "x"`},
		},
		{
			name:    "tsv defaults to tab",
			file:    "q1.tsv",
			content: "date\thost\tproduct\tgross\n2025-01-01\taws\tp\t\"1,000\"\n",
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1000/0/0/0/0/0"},
		},
		{
			name:    "gzip",
			file:    "q1.csv.gz",
			content: H + "2025-01-01,aws,p,1\n",
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"},
		},
		{
			name:    "gzipped tsv",
			file:    "q1.TSV.gz",
			content: "date\thost\tproduct\tgross\n2025-01-01\taws\tp\t1\n",
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "q1.csv"
			}
			res := run(t, testAgreement(), file, tt.content, Options{})
			bad := make([]string, len(tt.bad))
			for i, b := range tt.bad {
				bad[i] = strings.Replace(b, "q1.csv:", file+":", 1)
			}
			check(t, res, tt.rows, bad, tt.warns, tt.err)
			if tt.err == "" && res.in.Format != Canonical {
				t.Errorf("Format = %q, want canonical", res.in.Format)
			}
		})
	}
}

func TestMonthly(t *testing.T) {
	a := testAgreement()
	a.Period = period.Month
	res := run(t, a, "m.csv", "period,date,host,product,gross\n2025-03,,aws,p,1\n2025-Q1,,aws,p,1\n,2025-02-03,aws,p,1\n", Options{})
	check(t, res,
		[]string{"2 2025-03-31 2025-03 aws p USD 1/0/0/0/0/0", "4 2025-02-03 2025-02 aws p USD 1/0/0/0/0/0"},
		[]string{`m.csv:3: [period] period 2025-Q1 is coarser than the settlement month ["2025-Q1" "" "aws" "p" "1"]`},
		nil, "")
}

func TestHashStdinAndGzip(t *testing.T) {
	content := "date,host,product,gross\n2025-01-01,aws,p,1\n"
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

	// Standard input.
	res := read(testAgreement(), "-", Options{Stdin: strings.NewReader(content)})
	check(t, res, []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"}, nil, nil, "")
	want := Input{Path: "-", SHA256: sum([]byte(content)), Format: Canonical, Rows: 1}
	if res.in != want {
		t.Errorf("stdin: Input = %+v, want %+v", res.in, want)
	}

	// A gzip file is hashed as stored, including bytes after the stream
	// and a footer the reader skips.
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(content + "\n\n"))
	zw.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "r.csv.gz")
	os.WriteFile(path, b.Bytes(), 0o644)
	res = read(testAgreement(), path, Options{})
	check(t, res, []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"}, nil, nil, "")
	if res.in.SHA256 != sum(b.Bytes()) {
		t.Errorf("gzip: SHA256 = %s, want %s", res.in.SHA256, sum(b.Bytes()))
	}

	// A big file, hashed whole.
	var big strings.Builder
	big.WriteString("date,host,product,gross\n")
	for i := 0; i < 20000; i++ {
		big.WriteString("2025-01-01,aws,p,1\n")
	}
	res = read(testAgreement(), "-", Options{Stdin: strings.NewReader(big.String())})
	if res.err != nil || res.in.Rows != 20000 || res.in.SHA256 != sum([]byte(big.String())) {
		t.Errorf("big: %v, %d rows, hash ok %v", res.err, res.in.Rows, res.in.SHA256 == sum([]byte(big.String())))
	}

	// Not gzip at all.
	os.WriteFile(path, []byte(content), 0o644)
	res = read(testAgreement(), path, Options{})
	if got, want := fmt.Sprint(res.err), path+": cannot decompress: gzip: invalid header"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func TestFileErrors(t *testing.T) {
	res := read(testAgreement(), filepath.Join(t.TempDir(), "nope.csv"), Options{})
	if got := fmt.Sprint(res.err); !strings.HasSuffix(got, "nope.csv: cannot open: no such file or directory") {
		t.Errorf("error %q", got)
	}
	res = read(testAgreement(), "-", Options{})
	if got, want := fmt.Sprint(res.err), "-: no standard input to read"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func TestRowErrorAborts(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	in, err := ReadFile("-", Options{Agreement: testAgreement(), Stdin: strings.NewReader("date,host,product,gross\n2025-01-01,aws,p,1\n2025-01-01,aws,p,2\n")},
		func(r *Row) error { n++; return stop }, func(BadRow) { t.Error("bad row") })
	if err != stop || n != 1 || in.Rows != 1 {
		t.Errorf("err %v, %d calls, %d rows", err, n, in.Rows)
	}
}

// Formats of SPEC 4.1.
var (
	bedrock = &agreement.Format{
		Name:       "aws-bedrock",
		Host:       "aws",
		Delimiter:  ';',
		Columns:    map[string]string{"date": "Usage Date", "product": "Model Id", "gross": "Gross Revenue", "refunds": "Refund Amount", "currency": "Currency Code"},
		DateFormat: "MM/DD/YYYY",
		Decimal:    ',',
		Negate:     []string{"refunds"},
		Products:   map[string]string{"Meta.Llama3-1-405B-Instruct-v1:0": "Llama-3.1-405B-Instruct"},
	}
	billing = &agreement.Format{
		Name:    "aws-billing-events",
		Host:    "aws",
		Columns: map[string]string{"date": "invoice_date", "product": "product_id", "currency": "currency"},
		Amount:  "amount",
		Kind:    "transaction_type",
		Kinds:   map[string]string{"SELLER_REV_SHARE": "gross", "SELLER_REV_SHARE_REFUND": "refunds", "AWS_REV_SHARE": "fees", "AWS_TAX_SHARE": "ignore", "USAGE": "units"},
		Negate:  []string{"refunds", "fees"},
	}
	apple = &agreement.Format{
		Name:         "apple-finance",
		Delimiter:    '\t',
		SkipLines:    1,
		IgnorePrefix: "Total_",
	}
	stripe = &agreement.Format{
		Name:       "stripe",
		Host:       "azure",
		Columns:    map[string]string{"date": "Day", "product": "Item", "gross": "Amount"},
		DateFormat: "MMM D, YYYY",
	}
	// Two formats reading the same header: a tie.
	twinA = &agreement.Format{Name: "twin-a", Host: "aws", Columns: map[string]string{"date": "date", "product": "Model", "gross": "Revenue"}}
	twinB = &agreement.Format{Name: "twin-b", Host: "azure", Columns: map[string]string{"date": "Date", "product": "model", "gross": "REVENUE"}}
	// One header more than the twins: wins over both.
	triple = &agreement.Format{Name: "triple", Host: "azure", Columns: map[string]string{"product": "Model", "gross": "Revenue", "date": "Day"}}
)

func TestFormats(t *testing.T) {
	all := []*agreement.Format{bedrock, billing, apple, stripe}
	tests := []struct {
		name    string
		formats []*agreement.Format
		force   string
		file    string
		content string
		format  string
		rows    []string
		bad     []string
		warns   []string
		err     string
	}{
		{
			name:    "bedrock: delimiter ;, MM/DD/YYYY, decimal comma, negate, products",
			formats: all,
			content: "Usage Date;Model Id;Gross Revenue;Refund Amount;Currency Code;Region\n" +
				"03/15/2025;meta.llama3-1-405b-instruct-v1:0;1.234,56;-10,00;usd;us-east-1\n" +
				"12/31/2025; Other-Model ;(5,5);;;x\n" +
				"3/15/2025;m;1;;;x\n" +
				"03/15/2025;m;1,234.56;;;x\n",
			format: "aws-bedrock",
			warns:  []string{`q1.csv: ignoring column "Region" (map it as region: Region to read it); format aws-bedrock does not map it (its ignore_columns silences this)`},
			rows: []string{
				"2 2025-03-15 2025-Q1 aws llama-3.1-405b-instruct USD 1234.56/10/0/0/0/0",
				"3 2025-12-31 2025-Q4 aws other-model USD -5.5/0/0/0/0/0",
			},
			bad: []string{
				`q1.csv:4: [Usage Date] invalid date "3/15/2025" (want MM/DD/YYYY) ["3/15/2025" "m" "1" "" "" "x"]`,
				`q1.csv:5: [Gross Revenue] invalid amount "1,234.56": unexpected '.' ["03/15/2025" "m" "1,234.56" "" "" "x"]`,
			},
		},
		{
			name:    "stripe: MMM D, YYYY",
			formats: all,
			content: "Day,Item,Amount\n\"Sep 3, 2026\",p,5\n\"sep 30, 2026\",p,5\n\"Sep 31, 2026\",p,5\n\"Sept 3, 2026\",p,5\n\"Sep 3 2026\",p,5\n",
			format:  "stripe",
			rows: []string{
				"2 2026-09-03 2026-Q3 azure p USD 5/0/0/0/0/0",
				"3 2026-09-30 2026-Q3 azure p USD 5/0/0/0/0/0",
			},
			bad: []string{
				`q1.csv:4: [Day] invalid date "Sep 31, 2026" (want MMM D, YYYY) ["Sep 31, 2026" "p" "5"]`,
				`q1.csv:5: [Day] invalid date "Sept 3, 2026" (want MMM D, YYYY) ["Sept 3, 2026" "p" "5"]`,
				`q1.csv:6: [Day] invalid date "Sep 3 2026" (want MMM D, YYYY) ["Sep 3 2026" "p" "5"]`,
			},
		},
		{
			name:    "ledger: kinds, ignore, unknown kind, negate",
			formats: all,
			content: "invoice_date,product_id,currency,transaction_type,amount\n" +
				"2025-01-05,p,USD,SELLER_REV_SHARE,100\n" +
				"2025-01-05,p,USD,SELLER_REV_SHARE_REFUND,-5\n" +
				"2025-01-05,p,USD,AWS_REV_SHARE,-20\n" +
				"2025-01-05,p,USD,AWS_TAX_SHARE,3\n" +
				"2025-01-05,p,USD,seller_rev_share,1\n" +
				"2025-01-05,p,USD,USAGE,\"1,000\"\n" +
				"2025-01-05,p,USD,FOO,1\n" +
				"2025-01-05,p,USD,,1\n" +
				"2025-01-05,p,USD,SELLER_REV_SHARE,\n" +
				"2025-01-06,,,AWS_TAX_SHARE,-50\n" +
				"2025-01-06,,,SELLER_REV_SHARE,50\n",
			format: "aws-billing-events",
			rows: []string{
				"2 2025-01-05 2025-Q1 aws p USD 100/0/0/0/0/0",
				"3 2025-01-05 2025-Q1 aws p USD 0/5/0/0/0/0",
				"4 2025-01-05 2025-Q1 aws p USD 0/0/0/20/0/0",
				"5 2025-01-05 2025-Q1 aws p USD 0/0/0/0/0/0 ignored",
				"6 2025-01-05 2025-Q1 aws p USD 1/0/0/0/0/0",
				"7 2025-01-05 2025-Q1 aws p USD 0/0/0/0/0/1000",
				"11 2025-01-06 2025-Q1 aws  USD 0/0/0/0/0/0 ignored",
			},
			bad: []string{
				`q1.csv:8: [transaction_type] unknown kind "FOO" ["2025-01-05" "p" "USD" "FOO" "1"]`,
				`q1.csv:9: [transaction_type] empty kind ["2025-01-05" "p" "USD" "" "1"]`,
				`q1.csv:10: [amount] empty amount ["2025-01-05" "p" "USD" "SELLER_REV_SHARE" ""]`,
				`q1.csv:12: [product_id] empty product ["2025-01-06" "" "" "SELLER_REV_SHARE" "50"]`,
			},
		},
		{
			name:    "apple: tab, skip_lines, ignore_prefix",
			formats: all,
			file:    "apple.txt",
			content: "Apple Finance Report, \"Q1\n" +
				"date\thost\tproduct\tgross\n" +
				"2025-01-01\tAWS\tp\t5\n" +
				"Total_Rows\t1\n" +
				"2025-02-01\taws\tp\t6\n" +
				"Total_Amount\t11\n",
			format: "apple-finance",
			rows: []string{
				"3 2025-01-01 2025-Q1 aws p USD 5/0/0/0/0/0",
				"5 2025-02-01 2025-Q1 aws p USD 6/0/0/0/0/0",
			},
		},
		{
			name:    "no format matches: canonical",
			formats: all,
			content: "date,host,product,gross,Model Id\n2025-01-01,aws,p,1,x\n",
			format:  Canonical,
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"},
			warns:   []string{`q1.csv: ignoring column "Model Id"`},
		},
		{
			name:    "a format needs all its headers",
			formats: all,
			content: "Usage Date;Model Id;Gross Revenue;Currency Code\n",
			format:  Canonical,
			warns:   []string{`q1.csv: ignoring column "Usage Date;Model Id;Gross Revenue;Currency Code"`},
			err:     "q1.csv:1: missing required columns \"date\" (or \"period\"), \"host\", \"product\", \"gross\"\nhint: read as format canonical, the header has \"Usage Date;Model Id;Gross Revenue;Currency Code\"",
		},
		{
			name:    "most mapped headers wins",
			formats: []*agreement.Format{twinA, twinB, triple},
			content: "Day,Model,Revenue\n2025-01-01,p,1\n",
			format:  "triple",
			rows:    []string{"2 2025-01-01 2025-Q1 azure p USD 1/0/0/0/0/0"},
		},
		{
			name:    "tie",
			formats: []*agreement.Format{twinA, twinB, triple},
			content: "date,Model,Revenue\n2025-01-01,p,1\n",
			// No hint: the problem names its remedy, the setting
			// "format", and the command line words it as a flag.
			err: "q1.csv: the header matches formats \"twin-a\", \"twin-b\" equally well",
		},
		{
			name:    "--format breaks a tie",
			formats: []*agreement.Format{twinA, twinB, triple},
			force:   "twin-b",
			content: "date,Model,Revenue\n2025-01-01,p,1\n",
			format:  "twin-b",
			rows:    []string{"2 2025-01-01 2025-Q1 azure p USD 1/0/0/0/0/0"},
		},
		{
			name:    "--format canonical",
			formats: []*agreement.Format{twinA, twinB, triple},
			force:   "canonical",
			content: "date,host,product,gross,Model,Revenue\n2025-01-01,aws,p,1,x,2\n",
			format:  Canonical,
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"},
			warns:   []string{`q1.csv: ignoring columns "Model", "Revenue"`},
		},
		{
			name:    "--format with missing headers",
			formats: all,
			force:   "aws-bedrock",
			content: "Usage Date;Model Id;Amount\n",
			warns:   []string{`q1.csv: ignoring column "Amount"; format aws-bedrock does not map it (its ignore_columns silences this)`},
			err:     "q1.csv:1: missing required column \"Gross Revenue\"\nhint: read as format aws-bedrock, the header has \"Usage Date\", \"Model Id\", \"Amount\"",
		},
		{
			name:    "unknown --format",
			formats: []*agreement.Format{twinB, twinA},
			force:   "zzz",
			content: "date,host,product,gross\n",
			err:     "q1.csv: unknown format \"zzz\"\nhint: declared formats: canonical, twin-a, twin-b",
		},
		{
			name:    "unknown --format, no formats",
			force:   "zzz",
			content: "date,host,product,gross\n",
			err:     "q1.csv: unknown format \"zzz\"\nhint: the agreement declares no formats",
		},
		{
			name:    "a format with a delimiter, no columns and a .tsv name",
			formats: []*agreement.Format{{Name: "semi", Delimiter: ';'}},
			file:    "x.tsv",
			content: "date;host;product;gross\n2025-01-01;aws;p;1\n",
			format:  "semi",
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"},
		},
		{
			name:    "a format without a delimiter in a .tsv file",
			formats: []*agreement.Format{{Name: "t", Host: "aws", Columns: map[string]string{"period": "period", "product": "Model", "gross": "Revenue"}}},
			file:    "x.tsv",
			content: "period\tModel\tRevenue\n2025-Q1\tp\t1\n",
			format:  "t",
			rows:    []string{"2 2025-03-31 2025-Q1 aws p USD 1/0/0/0/0/0"},
		},
		{
			name:    "a fixed host ignores a host column",
			formats: []*agreement.Format{{Name: "h", Host: "aws", Columns: map[string]string{"date": "date", "product": "product", "gross": "Revenue"}}},
			content: "date,host,product,Revenue\n2025-01-01,azure,p,1\n",
			format:  "h",
			rows:    []string{"2 2025-01-01 2025-Q1 aws p USD 1/0/0/0/0/0"},
			warns:   []string{`q1.csv: ignoring column "host" (the format fixes the host); format h does not map it (its ignore_columns silences this)`},
		},
		{
			name:    "a broken format is reported when used",
			formats: []*agreement.Format{{Name: "b", Host: "nobody", Columns: map[string]string{"gross": "Revenue"}}},
			content: "date,product,Revenue\n",
			err:     `q1.csv: format "b": unknown host "nobody"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "q1.csv"
			}
			res := run(t, testAgreement(tt.formats...), file, tt.content, Options{Format: tt.force})
			bad := make([]string, len(tt.bad))
			for i, b := range tt.bad {
				bad[i] = strings.Replace(b, "q1.csv:", file+":", 1)
			}
			check(t, res, tt.rows, bad, tt.warns, tt.err)
			if tt.err == "" && res.in.Format != tt.format {
				t.Errorf("Format = %q, want %q", res.in.Format, tt.format)
			}
			var p diag.Problem
			if strings.Contains(tt.err, "equally well") && (!errors.As(res.err, &p) || p.Remedy != "format") {
				t.Errorf("a tie's remedy is %q, want format", p.Remedy)
			}
		})
	}
}

func TestRowColumn(t *testing.T) {
	var cols []string
	_, err := ReadFile("-", Options{Agreement: testAgreement(bedrock, billing), Stdin: strings.NewReader(
		"invoice_date,product_id,currency,transaction_type,amount\n2025-01-05,p,USD,SELLER_REV_SHARE,100\n")},
		func(r *Row) error {
			cols = []string{r.Column("date"), r.Column("product"), r.Column("gross"), r.Column("units"), r.Column("host"), r.Column("nonsense")}
			if !slices.Equal(r.Fields, []string{"2025-01-05", "p", "USD", "SELLER_REV_SHARE", "100"}) {
				t.Errorf("Fields = %q", r.Fields)
			}
			return nil
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"invoice_date", "product_id", "amount", "amount", "host", "nonsense"}
	if !slices.Equal(cols, want) {
		t.Errorf("columns %q, want %q", cols, want)
	}
}

func BenchmarkReadFile(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("date,host,product,currency,gross,refunds,taxes,units\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&sb, "2025-%02d-%02d,aws,llama-3.1-405b,USD,%d.%02d,1.25,0.5,%d\n", i%12+1, i%28+1, i, i%100, i*1000)
	}
	data := sb.String()
	a := testAgreement()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_, err := ReadFile("-", Options{Agreement: a, Stdin: strings.NewReader(data)}, func(*Row) error { return nil }, func(BadRow) { b.Fatal("bad row") })
		if err != nil {
			b.Fatal(err)
		}
	}
}
