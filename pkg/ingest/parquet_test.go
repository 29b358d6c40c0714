package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// pqDoubleRow is a canonical row with DOUBLE amounts, as a cost export
// writes them.
type pqDoubleRow struct {
	Date     int32   `parquet:"date,date"`
	Host     string  `parquet:"host"`
	Product  string  `parquet:"product"`
	Currency string  `parquet:"currency,optional"`
	Gross    float64 `parquet:"gross"`
	Refunds  float64 `parquet:"refunds"`
	Units    int64   `parquet:"units"`
}

// pqDecimalRow has DECIMAL amounts (as int64 unscaled, scale 4) and a
// timestamp for its date.
type pqDecimalRow struct {
	Date    int64  `parquet:"date,timestamp(microsecond:utc)"`
	Host    string `parquet:"host"`
	Product string `parquet:"product"`
	Gross   int64  `parquet:"gross,decimal(4:18)"`
	Taxes   int32  `parquet:"taxes,decimal(2:9)"`
	Units   []byte `parquet:"units,optional"`
}

func writeParquet[T any](t *testing.T, path string, rows []T, perGroup int64) {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, parquet.MaxRowsPerRowGroup(perGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func pqAgreement(t *testing.T) *agreement.Agreement {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "agreement.yaml")
	body := `schema: llamashare/v1
currency: USD
period: quarter
hosts:
  aws:
    aliases: [Amazon Bedrock]
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
formats:
  cost-export:
    host: aws
    columns: {date: usage_day, product: model, gross: cost}
`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := agreement.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type pqSums struct {
	rows                        int
	gross, refunds, taxes, unit decimal.Decimal
	days                        map[string]bool
	products                    map[string]bool
}

func readAll(t *testing.T, a *agreement.Agreement, path, format string) (pqSums, Input) {
	t.Helper()
	s := pqSums{days: map[string]bool{}, products: map[string]bool{}}
	in, err := ReadFile(path, Options{Agreement: a, Format: format}, func(r *Row) error {
		s.rows++
		s.gross = s.gross.Add(r.Gross)
		s.refunds = s.refunds.Add(r.Refunds)
		s.taxes = s.taxes.Add(r.Taxes)
		s.unit = s.unit.Add(r.Units)
		s.days[r.Date.Format("2006-01-02")] = true
		s.products[r.Product+"/"+r.Host.ID+"/"+r.Currency] = true
		return nil
	}, func(b BadRow) { t.Errorf("bad row %d: %s", b.Line, b.Reason) })
	if err != nil {
		t.Fatal(err)
	}
	return s, in
}

// TestParquetDoubleTwin: a Parquet file with DOUBLE amounts reads to the
// same exact sums as its CSV twin, whose text is what a person would type
// (cents); several row groups; the sha256 is the Parquet file's.
func TestParquetDoubleTwin(t *testing.T) {
	a := pqAgreement(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var rows []pqDoubleRow
	var csv strings.Builder
	csv.WriteString("date,host,product,currency,gross,refunds,units\n")
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 5000; i++ {
		cents := rng.Int64N(100_000_000) - 1_000_000
		ref := rng.Int64N(10_000)
		day := day0.AddDate(0, 0, rng.IntN(90))
		cur := []string{"USD", "usd", ""}[rng.IntN(3)]
		prod := []string{"Llama-4-Scout", " llama-3.3-70b "}[rng.IntN(2)]
		host := []string{"aws", "Amazon Bedrock"}[rng.IntN(2)]
		g, _ := strconv.ParseFloat(decimal.New(cents, -2).String(), 64)
		r, _ := strconv.ParseFloat(decimal.New(ref, -2).String(), 64)
		rows = append(rows, pqDoubleRow{Date: int32(day.Unix() / 86400), Host: host, Product: prod, Currency: cur, Gross: g, Refunds: r, Units: int64(i)})
		fmt.Fprintf(&csv, "%s,%s,%q,%s,%s,%s,%d\n", day.Format("2006-01-02"), host, prod, cur, decimal.New(cents, -2).StringFixed(2), decimal.New(ref, -2).StringFixed(2), i)
	}
	pq := filepath.Join(dir, "usage.parquet")
	writeParquet(t, pq, rows, 700)
	cp := filepath.Join(dir, "usage.csv")
	if err := os.WriteFile(cp, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	got, in := readAll(t, a, pq, "")
	want, _ := readAll(t, a, cp, "")
	if got.rows != want.rows || !got.gross.Equal(want.gross) || !got.refunds.Equal(want.refunds) || !got.unit.Equal(want.unit) ||
		len(got.days) != len(want.days) || len(got.products) != len(want.products) {
		t.Errorf("parquet %d rows gross %s refunds %s units %s (%d days, %v); csv %d rows gross %s refunds %s units %s (%d days, %v)",
			got.rows, got.gross, got.refunds, got.unit, len(got.days), got.products, want.rows, want.gross, want.refunds, want.unit, len(want.days), want.products)
	}
	b, _ := os.ReadFile(pq)
	sum := sha256.Sum256(b)
	if in.SHA256 != hex.EncodeToString(sum[:]) || in.Format != Canonical || in.Rows != 5000 {
		t.Errorf("input %+v: want the Parquet file's sha256, canonical, 5000 rows", in)
	}
}

// TestParquetDecimalTimestamp: DECIMAL columns (int32, int64 and
// fixed-length unscaled integers) are read exactly; a timestamp counts by
// its UTC date; a null optional amount is zero.
func TestParquetDecimalTimestamp(t *testing.T) {
	a := pqAgreement(t)
	dir := t.TempDir()
	late := time.Date(2025, 3, 31, 23, 59, 59, 0, time.UTC)
	rows := []pqDecimalRow{
		{Date: late.UnixMicro(), Host: "aws", Product: "p", Gross: 123456789, Taxes: -150, Units: nil},
		{Date: late.Add(time.Second).UnixMicro(), Host: "aws", Product: "p", Gross: -1, Taxes: 1, Units: nil},
	}
	pq := filepath.Join(dir, "d.parquet")
	writeParquet(t, pq, rows, 1)
	got, _ := readAll(t, a, pq, "")
	if got.gross.String() != "12345.6788" || got.taxes.String() != "-1.49" || !got.unit.IsZero() {
		t.Errorf("gross %s taxes %s units %s: want 12345.6788, -1.49, 0", got.gross, got.taxes, got.unit)
	}
	if !got.days["2025-03-31"] || !got.days["2025-04-01"] {
		t.Errorf("days %v: want the timestamps' UTC dates", got.days)
	}
}

// TestParquetFormat: a declared format's mapping applies to Parquet
// column names; the format is picked from them.
func TestParquetFormat(t *testing.T) {
	a := pqAgreement(t)
	type row struct {
		Day   string  `parquet:"usage_day"`
		Model string  `parquet:"model"`
		Cost  float64 `parquet:"cost"`
		Note  string  `parquet:"note"`
	}
	pq := filepath.Join(t.TempDir(), "f.parquet")
	writeParquet(t, pq, []row{{"2025-02-03", "M1", 0.1, "x,y"}, {"2025-02-03T23:00:00-05:00", "m1", 0.2, ""}}, 10)
	got, in := readAll(t, a, pq, "")
	if in.Format != "cost-export" || got.gross.String() != "0.3" || !got.days["2025-02-04"] || len(got.products) != 1 {
		t.Errorf("format %s gross %s days %v products %v: want cost-export, 0.3, 2025-02-04, one product", in.Format, got.gross, got.days, got.products)
	}
}

// TestParquetNotParquet: a file named .parquet that is not one is a
// problem of the file, with its path.
func TestParquetNotParquet(t *testing.T) {
	a := pqAgreement(t)
	p := filepath.Join(t.TempDir(), "x.parquet")
	os.WriteFile(p, []byte("date,host\n"), 0o644)
	_, err := ReadFile(p, Options{Agreement: a}, func(*Row) error { return nil }, func(BadRow) {})
	if err == nil || !strings.Contains(err.Error(), "x.parquet: not a readable Parquet file") {
		t.Errorf("got %v", err)
	}
}

// TestAppendShortest: the text written for a DOUBLE is strconv's shortest
// round-trip text, on cents, on values with many digits and on extremes.
func TestAppendShortest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vals := []float64{0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1e-7, 123456789.125, 3999999999.999999, 4e9, 1e21, -0.5, math.MaxFloat64, math.SmallestNonzeroFloat64}
	for i := 0; i < 200000; i++ {
		switch i % 3 {
		case 0:
			vals = append(vals, float64(rng.Int64N(1e12)-5e11)/100)
		case 1:
			vals = append(vals, float64(rng.Int64N(1e15))/1e6)
		default:
			vals = append(vals, math.Float64frombits(rng.Uint64()))
		}
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		got := string(appendShortest(nil, parquet.DoubleValue(v)))
		want := strconv.FormatFloat(v, 'f', -1, 64)
		if got != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
	}
}
