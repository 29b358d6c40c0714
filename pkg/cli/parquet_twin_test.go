package cli_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// costRow is a usage row as a cloud cost export writes it: DOUBLE amounts.
type costRow struct {
	Date     int32   `parquet:"date,date"`
	Host     string  `parquet:"host"`
	Product  string  `parquet:"product"`
	Currency string  `parquet:"currency"`
	Gross    float64 `parquet:"gross"`
	Refunds  float64 `parquet:"refunds"`
	Units    int64   `parquet:"units"`
}

const twinAgreement = `schema: llamashare/v1
currency: USD
period: quarter
fx:
  rates: fx.csv
  method: daily
hosts:
  aws:
    terms:
      - from: 2025-01-01
        deduct: [refunds]
        rates:
          - name: frontier
            products: ["llama-4-*"]
            rate: 15%
          - rate: 12.5%
  groq:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 100%
`

// TestSettleParquetDoubleTwin: `settle` on a Parquet file whose amounts
// are DOUBLE gives the same settlement, byte for byte apart from
// `inputs`, as on its CSV twin holding the text the producer printed
// (strconv's shortest round-trip form): sub-cent per-token amounts, daily
// EUR rates, several row groups. One row of 1.005 (binary 1.00499999…)
// must settle to 1.01 under half-up: summed in binary it would be 1.00.
func TestSettleParquetDoubleTwin(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ag := write("agreement.yaml", twinAgreement)
	var fx strings.Builder
	fx.WriteString("date,currency,rate\n")
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 90; d++ {
		fmt.Fprintf(&fx, "%s,EUR,1.%04d\n", day0.AddDate(0, 0, d).Format("2006-01-02"), 200+d*7%500)
	}
	write("fx.csv", fx.String())

	rng := rand.New(rand.NewPCG(18, 11))
	var rows []costRow
	var csv strings.Builder
	csv.WriteString("date,host,product,currency,gross,refunds,units\n")
	add := func(day time.Time, host, product, currency string, gross, refunds float64, units int64) {
		rows = append(rows, costRow{int32(day.Unix() / 86400), host, product, currency, gross, refunds, units})
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%s,%s,%d\n", day.Format("2006-01-02"), host, product, currency,
			strconv.FormatFloat(gross, 'f', -1, 64), strconv.FormatFloat(refunds, 'f', -1, 64), units)
	}
	for i := 0; i < 6000; i++ {
		// A per-token cost in millionths (up to 10,000.000000) or a whole-cent amount.
		micro := rng.Int64N(10_000_000_000)
		if i%3 == 0 {
			micro = rng.Int64N(100_000_000) * 10_000
		}
		gross, _ := strconv.ParseFloat(strconv.FormatFloat(float64(micro)/1e6, 'f', 6, 64), 64)
		refunds := 0.0
		if i%7 == 0 {
			refunds, _ = strconv.ParseFloat(fmt.Sprintf("0.%06d", rng.Int64N(1_000_000)), 64)
		}
		add(day0.AddDate(0, 0, rng.IntN(90)), "aws", []string{"llama-4-scout", "llama-3.3-70b-instruct", "llama-3.1-8b-instruct"}[rng.IntN(3)],
			[]string{"USD", "EUR"}[rng.IntN(2)], gross, refunds, rng.Int64N(1_000_000))
	}
	add(day0, "groq", "llama-3.1-8b-instruct", "USD", 1.005, 0, 1)

	pq := filepath.Join(dir, "costs.parquet")
	f, err := os.Create(pq)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[costRow](f, parquet.MaxRowsPerRowGroup(1000))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	twin := write("costs.csv", csv.String())

	settle := func(file string) (string, map[string]json.RawMessage) {
		code, out, errs := runInProcess(t, "settle", "-a", ag, "-p", "2025-Q1", "-o", "json", file)
		if code != 0 {
			t.Fatalf("settle %s: exit %d\n%s", file, code, errs)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		inputs := string(m["inputs"])
		delete(m, "inputs")
		return inputs, m
	}
	pqIn, got := settle(pq)
	_, want := settle(twin)
	g, _ := json.Marshal(got)
	wnt, _ := json.Marshal(want)
	if string(g) != string(wnt) {
		t.Errorf("the DOUBLE Parquet file settles differently from its CSV twin\nparquet: %s\ncsv:     %s", g, wnt)
	}
	var ins []struct {
		Format string
		Rows   int
	}
	if err := json.Unmarshal([]byte(pqIn), &ins); err != nil || len(ins) != 1 || ins[0].Rows != 6001 || ins[0].Format != "canonical" {
		t.Errorf("parquet inputs %s: want 6001 canonical rows", pqIn)
	}
	var res struct {
		Settlements []struct {
			Host, Gross string
		}
	}
	if err := json.Unmarshal(g, &res); err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Settlements {
		if s.Host == "groq" && s.Gross != "1.01" {
			t.Errorf("groq gross %s: a DOUBLE 1.005 read as its text settles to 1.01 (half-up), not as binary 1.00499…", s.Gross)
		}
	}
	if len(res.Settlements) != 2 {
		t.Errorf("%d settlements, want aws and groq", len(res.Settlements))
	}
}
