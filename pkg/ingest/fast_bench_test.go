package ingest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// benchRows writes n canonical rows like a host's line-level report.
func benchRows(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	hosts := []string{"aws", "AWS", "azure", "gcp", "databricks", "snowflake", "nvidia", "groq", "dell"}
	products := []string{"llama-3.1-405b-instruct", "llama-3.3-70b-instruct", "llama-3.1-8b-instruct", "llama-4-maverick", "llama-4-scout", "llama-3.2-1b-instruct", "llama-3.2-3b-instruct"}
	curs := []string{"USD", "USD", "USD", "USD", "USD", "USD", "USD", "USD", "EUR", "JPY"}
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "2025-%02d-%02d,%s,%s,us-east,%s,%d.%02d,0.00,%d.%02d,%d.%02d,0.00,%d\n",
			rng.IntN(12)+1, rng.IntN(28)+1, hosts[rng.IntN(len(hosts))], products[rng.IntN(len(products))], curs[rng.IntN(len(curs))],
			rng.IntN(20000), rng.IntN(100), rng.IntN(500), rng.IntN(100), rng.IntN(300), rng.IntN(100), rng.Int64N(40_000_000_000))
	}
	return b.Bytes()
}

const benchHeader = "date,host,product,region,currency,gross,refunds,taxes,fees,credits,units"

// BenchmarkFastBlock measures the fast path's per-row work (split, parse,
// sum) on one core: ns/op is per row, and it must not allocate.
func BenchmarkFastBlock(b *testing.B) {
	ag := testAgreementForBench(b)
	l := canonicalLayout(',')
	d, _, _, _ := newDecoder(ag, l, splitAll([]byte(benchHeader), ','))
	f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
	data := benchRows(100_000)
	w := newWorker(f)
	w.block(&job{data: data}) // warm the caches
	b.SetBytes(int64(len(data)) / 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += 100_000 {
		w.block(&job{data: data})
	}
}

func testAgreementForBench(b testing.TB) *agreement.Agreement {
	text := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n"
	for _, h := range []string{"aws", "azure", "gcp", "databricks", "snowflake", "nvidia", "groq", "dell"} {
		text += "  " + h + ":\n    terms:\n      - from: 2025-01-01\n        rates: [{rate: 10%}]\n"
	}
	ag, err := agreement.Decode("bench.yaml", []byte(text))
	if err != nil {
		b.Fatal(err)
	}
	return ag
}

// BenchmarkSplit measures the line splitter alone (eight bytes at a
// time): ns/op is per row.
func BenchmarkSplit(b *testing.B) {
	ag := testAgreementForBench(b)
	l := canonicalLayout(',')
	d, _, _, _ := newDecoder(ag, l, splitAll([]byte(benchHeader), ','))
	f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
	w := newWorker(f)
	data := benchRows(100_000)
	b.SetBytes(int64(len(data)) / 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += 100_000 {
		rest := data
		for len(rest) > 0 {
			n, end := w.split(rest, ',', d.nf)
			if n != d.nf || end < 0 {
				b.Fatalf("split: %d fields, end %d", n, end)
			}
			rest = rest[end+1:]
		}
	}
}

// BenchmarkDistinctProducts reads 200,000 rows that each name a new
// product through the fast path, in small blocks so that many workers'
// tables are merged: interning a product scanned every name before it, so
// this took minutes (1M products did not finish in 18); with a map it is
// linear. ns/op is per file.
func BenchmarkDistinctProducts(b *testing.B) {
	const n = 200_000
	ag := testAgreementForBench(b)
	var data bytes.Buffer
	data.WriteString(benchHeader + "\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&data, "2025-01-%02d,aws,model-%07d,us,USD,1.00,0,0,0,0,1\n", i%28+1, i)
	}
	b.SetBytes(int64(data.Len()))
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		groups := 0
		opts := Options{Agreement: ag, Stdin: bytes.NewReader(data.Bytes()), BlockSize: 64 << 10,
			Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }, Group: func(*Group) { groups++ }}}
		in, err := ReadFile("-", opts, func(*Row) error { return nil }, func(BadRow) {})
		if err != nil {
			b.Fatal(err)
		}
		if in.Rows != n || groups != n {
			b.Fatalf("%d rows, %d groups: want %d each", in.Rows, groups, n)
		}
		// A generous bound (about 2 s here; 109 s with the linear scan).
		if d := time.Since(start); d > 60*time.Second {
			b.Fatalf("%d distinct products took %v: quadratic again?", n, d)
		}
	}
}
