package ingest

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestScanWordsAlongABlock reads whole blocks line after line as block
// does — the bitmaps reset once per block, their 16 KiB windows refilled
// as p moves on, which TestScanWordsEqualsScan (a reset per line) never
// reaches — with lines of 1 to 300 bytes (past the two words of bitmap,
// across 64-byte chunks and window edges), CRLF or LF: wherever scanWords
// reads a line, scan reads the same end, bounds and figures.
func TestScanWordsAlongABlock(t *testing.T) {
	ag := testAgreementForBench(t)
	for _, delim := range []byte{',', ';'} {
		l := canonicalLayout(rune(delim))
		if delim == ';' {
			l.decimal = ','
		}
		d, _, _, _ := newDecoder(ag, l, strings.Split(benchHeader, ","))
		f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
		a, b := newWorker(f), newWorker(f)
		amounts := []string{"0.00", "310.30", "22957.91", "123456.78", "-5.00", "1349805000", "135136876000", "12", ".5", "1.234",
			"", "99999999.99", "123456789012", "1.2345678", "00000000000.01", "+1.00", "1e5"}
		rng := rand.New(rand.NewPCG(17, uint64(delim)))
		read := 0
		for round := 0; round < 12; round++ {
			var sb strings.Builder
			for sb.Len() < 48<<10 {
				fields := []string{"2025-01-01", "aws", "llama" + strings.Repeat("x", rng.IntN(rng.IntN(240)+1)), "us-east", "USD"}
				for range 6 {
					v := amounts[rng.IntN(8)] // good ones, mostly
					if rng.IntN(10) == 0 {
						v = amounts[rng.IntN(len(amounts))]
					}
					if delim == ';' {
						v = strings.NewReplacer(".", ",", ",", ".").Replace(v)
					}
					fields = append(fields, v)
				}
				if rng.IntN(50) == 0 {
					fields = fields[:rng.IntN(len(fields))] // a short line
				}
				sb.WriteString(strings.Join(fields, string(delim)))
				sb.WriteString([]string{"\n", "\n", "\r\n"}[rng.IntN(3)])
			}
			data := []byte(sb.String())
			a.masks.reset(data, delim)
			for p := 0; p < len(data); {
				var fa, fb [6]int64
				endA, okA := a.scanWords(data, p, -1, &fa)
				endB, okB := b.scan(data[p:], -1, &fb)
				if okA {
					read++
					if !okB || endA != endB || fa != fb || a.starts != b.starts || a.ends != b.ends {
						t.Fatalf("%q, line at %d %q: scanWords = %d %v; scan = %d %v %v", delim, p, data[p:p+max(endA, 0)], endA, fa, endB, okB, fb)
					}
				}
				p += bytes.IndexByte(data[p:], '\n') + 1
			}
		}
		if read < 1000 {
			t.Errorf("%q: scanWords read only %d lines", delim, read)
		}
	}
}
