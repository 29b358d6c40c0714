package ingest

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestLookupNamesIsAMap: keys put by name (no copy: the key is a product's
// name) and keys put as bytes answer together as one map does, through
// the table's growth; a spelling that differs from a name by case or a
// last byte is not taken for it.
func TestLookupNamesIsAMap(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var l lookup
		var names productNames
		want := map[string]int32{}
		n := rapid.IntRange(0, 300).Draw(rt, "n")
		for i := 0; i < n; i++ {
			k := rapid.SampledFrom([]string{"llama-3.1-8b-instruct", "LLAMA-3.1-8B-INSTRUCT", "", "a", "A"}).Draw(rt, "base")
			k += fmt.Sprint(rapid.IntRange(0, 40).Draw(rt, "suffix"))
			v, ok := l.get([]byte(k))
			w, wok := want[k]
			if ok != wok || v != w {
				rt.Fatalf("get(%q) = %d, %v; want %d, %v", k, v, ok, w, wok)
			}
			if ok {
				continue
			}
			if rapid.Bool().Draw(rt, "byName") {
				id, ok := names.id(k)
				if !ok {
					rt.Fatalf("id(%q) refused", k)
				}
				l.putName(&names, []byte(k), id)
				want[k] = id
			} else {
				l.put([]byte(k), int32(-5-i))
				want[k] = int32(-5 - i)
			}
		}
		if l.n != len(want) {
			rt.Fatalf("%d keys, want %d", l.n, len(want))
		}
	})
}

// TestLookupNameByNumber: a name whose place does not fit a slot (past
// 4 GiB of names) is compared by the product's number instead.
func TestLookupNameByNumber(t *testing.T) {
	var l lookup
	var names productNames
	id, _ := names.id("llama-3")
	l.names = &names
	l.add([]byte("llama-3"), lookupSlot{off: nameKey, len: 7 | nameFlag, val: id})
	if v, ok := l.get([]byte("llama-3")); !ok || v != id {
		t.Fatalf("get = %d, %v", v, ok)
	}
	if _, ok := l.get([]byte("llama-4")); ok {
		t.Fatal("llama-4 found")
	}
}
