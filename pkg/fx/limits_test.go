package fx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/limits"
)

// TestRatesCapped: a rates file with one huge line (a 300 MB one-line
// file used 1.15 GB) fails at the line cap, naming the file and line.
func TestRatesCapped(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rates.csv")
	body := "date,currency,rate\n2025-01-01,EUR,1.1\n" + strings.Repeat("9", limits.Line+1) + "\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadIn("", p, Daily)
	want := p + ": cannot read fx rates: line 3 is longer than 1 MiB, the most llamashare reads in an fx rates file"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %.300v, want %s", err, want)
	}
}
