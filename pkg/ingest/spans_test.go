package ingest

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestKeySpansDecideKeys: a line's text from its host to its currency,
// looked up whole, resolves to what the three fields read one by one
// resolve to — on lines without quotes and on lines whose quotes each wrap
// a whole key (read by scanWords), with spellings that differ only in
// quotes, case, spaces or a last letter, unknown hosts and bad codes
// among them. Every line's cell and every line sent to the general
// decoder agree with a worker that never looks spans up.
func TestKeySpansDecideKeys(t *testing.T) {
	ag := testAgreementForBench(t)
	hosts := []string{"aws", `"aws"`, "Aws", " aws", `"aws" `, "awsx", `"aws"x`, `"a""ws"`, "gcp", `"gcp"`}
	products := []string{"m", `"m"`, "m2", `"m2"`, "M", "m ", `"m""2"`, `"m,2"`, `""`, `"m`}
	currencies := []string{"USD", `"USD"`, "US", "USX", "USDX", "EUR", `"EUR"`, "usd", ""}
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 200).Draw(rt, "lines")
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "2025-01-0%d,%s,%s,us,%s,1.25,0,0,0,0,%d\n",
				rapid.IntRange(1, 3).Draw(rt, "day"),
				rapid.SampledFrom(hosts).Draw(rt, "host"),
				rapid.SampledFrom(products).Draw(rt, "product"),
				rapid.SampledFrom(currencies).Draw(rt, "currency"),
				i)
		}
		data := []byte(b.String())
		read := func(spans bool) (map[cell][2]int64, []int) {
			d, _, _, _ := newDecoder(ag, canonicalLayout(','), splitAll([]byte(benchHeader), ','))
			f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
			w := newWorker(f)
			if !spans {
				w.spanLo = -1
			}
			res := w.block(&job{data: data})
			cells := map[cell][2]int64{}
			for ci := range w.cells.cells.c {
				for k, x := range w.cells.cells.chunk(ci) {
					cells[x.key] = [2]int64{int64(w.cells.rows(int32(ci<<chunkBits+k), &x)), x.fig[5]}
				}
			}
			var slow []int
			for _, s := range res.slow {
				slow = append(slow, s.line)
			}
			return cells, slow
		}
		cells, slow := read(true)
		wantCells, wantSlow := read(false)
		if fmt.Sprint(cells) != fmt.Sprint(wantCells) || fmt.Sprint(slow) != fmt.Sprint(wantSlow) {
			rt.Fatalf("spans looked up:\n%v slow %v\nfields one by one:\n%v slow %v\ninput:\n%s", cells, slow, wantCells, wantSlow, data)
		}
	})
}
