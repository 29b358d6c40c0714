package ingest

import (
	"path/filepath"
	"testing"
)

// An unsigned INT column (INT(32, false), INT(64, false), the deprecated
// UINT_8..UINT_64) holds its values as bits of a signed INT32/INT64: read
// as signed, 2^31 or more (2^63 for 64 bits) turned negative, silently, on
// the typed path and the text path alike (found by review).
func TestParquetUnsignedNotNegative(t *testing.T) {
	a := pqAgreement(t)
	type row struct {
		Date    string `parquet:"date"`
		Host    string `parquet:"host"`
		Product string `parquet:"product"`
		Gross   uint32 `parquet:"gross"`
		Refunds uint64 `parquet:"refunds"`
		Units   uint32 `parquet:"units"`
	}
	pq := filepath.Join(t.TempDir(), "u.parquet")
	writeParquet(t, pq, []row{{"2025-01-05", "aws", "p", 3_000_000_000, 9_000_000_000, 4_000_000_000}}, 10)
	got, _ := readAll(t, a, pq, "")
	if got.gross.String() != "3000000000" || got.refunds.String() != "9000000000" || got.unit.String() != "4000000000" {
		t.Errorf("gross %s refunds %s units %s: want 3000000000, 9000000000, 4000000000 (unsigned read as signed)", got.gross, got.refunds, got.unit)
	}
}
