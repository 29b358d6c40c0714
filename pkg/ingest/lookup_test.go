package ingest

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestLookupIsAMap: the open-addressing lookup answers as a map does,
// through its growth, for keys that share prefixes, suffixes and lengths.
func TestLookupIsAMap(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var l lookup
		want := map[string]int32{}
		n := rapid.IntRange(0, 300).Draw(rt, "n")
		for i := 0; i < n; i++ {
			k := rapid.SampledFrom([]string{"llama-3.1-8b-instruct", "llama-3.2-1b-instruct", "", "a", "aws", "AWS"}).Draw(rt, "base")
			k += fmt.Sprint(rapid.IntRange(0, 50).Draw(rt, "suffix"))
			if rapid.Bool().Draw(rt, "bare") {
				k = k[:rapid.IntRange(0, len(k)).Draw(rt, "cut")]
			}
			v, ok := l.get([]byte(k))
			w, wok := want[k]
			if ok != wok || v != w {
				rt.Fatalf("get(%q) = %d, %v; want %d, %v", k, v, ok, w, wok)
			}
			if !ok {
				l.put([]byte(k), int32(i))
				want[k] = int32(i)
			}
		}
		if l.n != len(want) {
			rt.Fatalf("%d keys, want %d", l.n, len(want))
		}
	})
}
