package strtab

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestTableIsAMap: numbers are given in order of first sight and every
// string reads back as added, through the table's growth and chunks.
func TestTableIsAMap(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var tab Table
		want := map[string]int32{}
		var names []string
		n := rapid.IntRange(0, 400).Draw(rt, "n")
		for i := 0; i < n; i++ {
			k := rapid.SampledFrom([]string{"llama-3.1-8b-instruct", "llama-3.2-1b", "", "a", "é", "\xff"}).Draw(rt, "base")
			k += fmt.Sprint(rapid.IntRange(0, 60).Draw(rt, "suffix"))
			if rapid.Bool().Draw(rt, "cut") {
				k = k[:rapid.IntRange(0, len(k)).Draw(rt, "at")]
			}
			got, gok := tab.ID(k)
			w, wok := want[k]
			if gok != wok || got != w {
				rt.Fatalf("ID(%q) = %d, %v; want %d, %v", k, got, gok, w, wok)
			}
			id, added, ok := tab.Add(k)
			if !ok || added == wok || wok && id != w || !wok && id != int32(len(names)) {
				rt.Fatalf("Add(%q) = %d, %v, %v (known %v as %d, %d names)", k, id, added, ok, wok, w, len(names))
			}
			if !wok {
				want[k] = id
				names = append(names, k)
			}
		}
		if tab.Len() != len(names) {
			rt.Fatalf("Len %d, want %d", tab.Len(), len(names))
		}
		for i, s := range names {
			if got := tab.Name(int32(i)); got != s {
				rt.Fatalf("Name(%d) = %q, want %q", i, got, s)
			}
		}
	})
}

// TestChunks: strings that fill a chunk, and one longer than a chunk,
// read back whole; earlier names stay as they were.
func TestChunks(t *testing.T) {
	var tab Table
	long := strings.Repeat("x", 1<<chunkBits+3)
	var names []string
	for i := 0; len(names) < 200000; i++ {
		names = append(names, fmt.Sprintf("product-%030d", i))
	}
	names = append(names, long, "after")
	for i, s := range names {
		if id, added, ok := tab.Add(s); !ok || !added || id != int32(i) {
			t.Fatalf("Add(%d) = %d, %v, %v", i, id, added, ok)
		}
	}
	if tab.nchunk < 3 {
		t.Fatalf("%d chunks: the test should fill more than one", tab.nchunk)
	}
	for i, s := range names {
		if tab.Name(int32(i)) != s {
			t.Fatalf("Name(%d) changed", i)
		}
		if c, off := tab.Place(int32(i)); tab.At(c, off, uint32(len(s))) != s {
			t.Fatalf("At(Place(%d)) = %q", i, tab.At(c, off, uint32(len(s))))
		}
		if id, ok := tab.ID(s); !ok || id != int32(i) {
			t.Fatalf("ID(%d) = %d, %v", i, id, ok)
		}
	}
}
