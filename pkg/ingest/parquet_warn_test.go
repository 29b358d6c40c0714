package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParquetIgnoredColumnsWarnAsCSV: SPEC 8's column warning is the same
// for a Parquet file as for its CSV twin (§11: Parquet is read with the
// canonical columns or a format's mapping): a column close to a canonical
// field gets "did you mean" (refund → refunds), names are quoted, and a
// format's unmapped columns point to its ignore_columns. Before, Parquet
// said only `ignoring columns refund, note`.
func TestParquetIgnoredColumnsWarnAsCSV(t *testing.T) {
	a := pqAgreement(t)
	dir := t.TempDir()
	type canonical struct {
		Date    string  `parquet:"date"`
		Host    string  `parquet:"host"`
		Product string  `parquet:"product"`
		Gross   float64 `parquet:"gross"`
		Refund  float64 `parquet:"refund"`
		Note    string  `parquet:"note"`
	}
	type export struct {
		Day   string  `parquet:"usage_day"`
		Model string  `parquet:"model"`
		Cost  float64 `parquet:"cost"`
		Taxes float64 `parquet:"taxes"`
	}
	writeParquet(t, filepath.Join(dir, "c.parquet"), []canonical{{"2025-01-05", "aws", "a", 10, 1, "x"}}, 10)
	writeParquet(t, filepath.Join(dir, "f.parquet"), []export{{"2025-01-05", "a", 10, 1}}, 10)
	os.WriteFile(filepath.Join(dir, "c.csv"), []byte("date,host,product,gross,refund,note\n2025-01-05,aws,a,10,1,x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "f.csv"), []byte("usage_day,model,cost,taxes\n2025-01-05,a,10,1\n"), 0o644)
	warning := func(name string) string {
		var got []string
		path := filepath.Join(dir, name)
		_, err := ReadFile(path, Options{Agreement: a, Warn: func(s string) { got = append(got, s) }},
			func(*Row) error { return nil }, func(b BadRow) { t.Errorf("%s: bad row %d: %s", name, b.Line, b.Reason) })
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(strings.Join(got, "\n"), path, "FILE")
	}
	for _, twin := range []string{"c", "f"} {
		pq, csv := warning(twin+".parquet"), warning(twin+".csv")
		if pq != csv || csv == "" {
			t.Errorf("%s.parquet warns %q; its CSV twin %q", twin, pq, csv)
		}
	}
	if w := warning("c.parquet"); !strings.Contains(w, `"refund" (did you mean "refunds"?)`) {
		t.Errorf("c.parquet warns %q: want a did you mean for refund", w)
	}
}
