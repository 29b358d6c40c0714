package ingest

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/money"
)

// TestPackRoundTrips: a cell's fields come back as packed, over their
// whole ranges (4096 hosts, 2^24 products, every currency index, local and
// ignored, days to the year 3405, converted or not).
func TestPackRoundTrips(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		host := rapid.Int32Range(0, 1<<12-1).Draw(rt, "host")
		product := rapid.Int32Range(0, maxProducts-1).Draw(rt, "product")
		currency := rapid.Int32Range(ignored, maxCodes-1).Draw(rt, "currency")
		day := rapid.Int32Range(0, maxDay-1).Draw(rt, "day")
		c := pack(host, product, currency, day)
		if rapid.Bool().Draw(rt, "converted") {
			c |= convertedBit
		}
		h, p, cur, d := c.unpack()
		if h != host || p != product || cur != currency || d != day || c.converted() != (c&convertedBit != 0) {
			rt.Fatalf("unpack(pack(%d, %d, %d, %d)) = %d, %d, %d, %d", host, product, currency, day, h, p, cur, d)
		}
	})
}

// refCell is what a cell should hold: exact sums of the rows it took.
type refCell struct {
	rows int
	fig  [6]*big.Int
	orig [5]*big.Int
}

func newRef() *refCell {
	r := &refCell{}
	for i := range r.fig {
		r.fig[i] = new(big.Int)
	}
	for i := range r.orig {
		r.orig[i] = new(big.Int)
	}
	return r
}

// fits reports whether v is a signed 128-bit value.
func fits128(v *big.Int) bool {
	lim := new(big.Int).Lsh(big.NewInt(1), 127)
	return v.Cmp(lim) < 0 && v.Cmp(new(big.Int).Neg(lim)) >= 0
}

// TestCellStoreIsExact: rows added to two stores (two workers), then one
// merged into the other, hand over exactly the sums of the rows each store
// took, per key, whatever their size: int64 sums that overflow go wide,
// converted sums that would leave 128 bits refuse the row (the general
// decoder reads it), and merged sums that would leave them stay apart.
// Keys span the cell's whole width, so that the table's probes collide
// and grow.
func TestCellStoreIsExact(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		nkeys := rapid.IntRange(1, 3000).Draw(rt, "keys")
		keys := make([]cell, nkeys)
		for i := range keys {
			c := pack(rapid.Int32Range(0, 1<<12-1).Draw(rt, "host"), rapid.Int32Range(0, maxProducts-1).Draw(rt, "product"),
				rapid.Int32Range(ignored, 3).Draw(rt, "currency"), rapid.Int32Range(0, maxDay-1).Draw(rt, "day"))
			if rapid.IntRange(0, 2).Draw(rt, "conv") == 0 {
				c |= convertedBit
			}
			keys[i] = c
		}
		big64 := rapid.Bool().Draw(rt, "big")
		amount := func(label string) int64 {
			if big64 && rapid.IntRange(0, 3).Draw(rt, label+"-huge") == 0 {
				return rapid.SampledFrom([]int64{math.MaxInt64, math.MinInt64 + 1, math.MaxInt64 / 3, -math.MaxInt64 / 2}).Draw(rt, label)
			}
			return rapid.Int64Range(-1_000_000_000, 1_000_000_000).Draw(rt, label)
		}
		var stores [2]cellStore
		refs := [2]map[cell]*refCell{{}, {}}
		n := rapid.IntRange(0, 4000).Draw(rt, "rows")
		for r := 0; r < n; r++ {
			w := rapid.IntRange(0, 1).Draw(rt, "worker")
			c := keys[rapid.IntRange(0, nkeys-1).Draw(rt, "key")]
			var fig [6]int64
			for i := range fig {
				fig[i] = amount("fig")
			}
			m := int64(0)
			if c.converted() {
				m = rapid.SampledFrom([]int64{1, 1_100_000_000_000, math.MaxInt64, 999_999_999_999}).Draw(rt, "rate")
			}
			s := &stores[w]
			j, slot := s.find(c)
			var x *cellSums
			if j < 0 {
				j, x = s.insert(c, slot)
				s.open(x, Keep)
			} else {
				x = s.cells.at(j)
			}
			ref := refs[w][c]
			if ref == nil {
				ref = newRef()
				refs[w][c] = ref
			}
			// The row as the reference would take it.
			next := newRef()
			ok := true
			for i := range fig {
				v := big.NewInt(fig[i])
				if c.converted() && i < 5 {
					next.orig[i].Add(ref.orig[i], v)
					v.Mul(v, big.NewInt(m))
				}
				next.fig[i].Add(ref.fig[i], v)
				ok = ok && fits128(next.fig[i])
			}
			if got := s.add(j, x, &fig, m); got != ok {
				rt.Fatalf("row %d of %x: add = %v, want %v", r, c, got, ok)
			}
			if ok {
				next.rows = ref.rows + 1
				refs[w][c] = next
			}
		}
		// The reference of the merge: per key, both stores' sums.
		want := map[cell]*refCell{}
		for _, m := range refs {
			for c, r := range m {
				t := want[c]
				if t == nil {
					t = newRef()
					want[c] = t
				}
				t.rows += r.rows
				for i := range r.fig {
					t.fig[i].Add(t.fig[i], r.fig[i])
				}
				for i := range r.orig {
					t.orig[i].Add(t.orig[i], r.orig[i])
				}
			}
		}
		// Merged in batches (mergeAll) of a drawn size.
		into, from := &stores[0], &stores[1]
		var batch []merging
		size := rapid.IntRange(1, batchRows).Draw(rt, "merge batch")
		for ci := range from.cells.c {
			for k := range from.cells.chunk(ci) {
				ox := &from.cells.c[ci][k]
				if rows := from.rows(int32(ci<<chunkBits+k), ox); rows > 0 {
					if batch = append(batch, merging{ox.key, ox, rows, -1}); len(batch) == size {
						into.mergeAll(batch, from)
						batch = batch[:0]
					}
				}
			}
		}
		into.mergeAll(batch, from)
		got := map[cell]*refCell{}
		take := func(c cell, rows int, s *wideSums) {
			t := got[c]
			if t == nil {
				t = newRef()
				got[c] = t
			}
			t.rows += rows
			for i := range s.fig {
				t.fig[i].Add(t.fig[i], bigOf(s.fig[i]))
			}
			for i := range s.orig {
				t.orig[i].Add(t.orig[i], bigOf(s.orig[i]))
			}
		}
		var scratch wideSums
		for ci := range into.cells.c {
			for k := range into.cells.chunk(ci) {
				x := &into.cells.c[ci][k]
				take(x.key, into.rows(int32(ci<<chunkBits+k), x), into.sums(x, &scratch))
			}
		}
		for _, a := range into.apart {
			take(a.key, a.rows, &a.wideSums)
		}
		for c, w := range want {
			g := got[c]
			if g == nil {
				if w.rows == 0 {
					continue
				}
				rt.Fatalf("key %x: missing", c)
			}
			if g.rows != w.rows {
				rt.Fatalf("key %x: %d rows, want %d", c, g.rows, w.rows)
			}
			for i := range w.fig {
				if g.fig[i].Cmp(w.fig[i]) != 0 {
					rt.Fatalf("key %x figure %d: %v, want %v", c, i, g.fig[i], w.fig[i])
				}
			}
			for i := range w.orig {
				if c.converted() && g.orig[i].Cmp(w.orig[i]) != 0 {
					rt.Fatalf("key %x original %d: %v, want %v", c, i, g.orig[i], w.orig[i])
				}
			}
		}
		if len(got) > len(want) {
			rt.Fatalf("%d keys handed over, want %d", len(got), len(want))
		}
	})
}

// bigOf returns a Sum's exact value.
func bigOf(s money.Sum) *big.Int {
	d := s.Decimal().Shift(money.FixedScale)
	return d.BigInt()
}

// TestCellRowsCarry: a cell counts more than 2^32 rows (its uint32 count
// carries into the store's map), alone and merged.
func TestCellRowsCarry(t *testing.T) {
	var a, b cellStore
	c := pack(1, 2, local, 100)
	for _, s := range []*cellStore{&a, &b} {
		_, slot := s.find(c)
		j, x := s.insert(c, slot)
		x.rows = math.MaxUint32
		fig := [6]int64{1}
		if !s.add(j, x, &fig, 0) {
			t.Fatal("add refused")
		}
		if got := s.rows(j, x); got != 1<<32 {
			t.Fatalf("%d rows, want 2^32", got)
		}
	}
	bx := b.cells.at(0)
	a.merge(-1, c, &b, bx, b.rows(0, bx))
	if got := a.rows(0, a.cells.at(0)); got != 1<<33 {
		t.Fatalf("merged: %d rows, want 2^33", got)
	}
}

// TestConvertedSumRefused: a converted cell whose originals stay small
// (rows at opposite signs, on days of very different rates) but whose
// converted sum would leave 128 bits refuses the row, unchanged; a cell of
// a bad key refuses every row.
func TestConvertedSumRefused(t *testing.T) {
	var s cellStore
	c := pack(0, 0, 0, 10) | convertedBit
	_, slot := s.find(c)
	j, x := s.insert(c, slot)
	s.open(x, Keep)
	want := new(big.Int)
	refused := 0
	for i := 0; i < 20; i++ {
		v, m := int64(math.MaxInt64/2), int64(math.MaxInt64)
		if i%2 == 1 {
			v, m = -v, 1
		}
		fig := [6]int64{v}
		next := new(big.Int).Add(want, new(big.Int).Mul(big.NewInt(v), big.NewInt(m)))
		ok := s.add(j, x, &fig, m)
		if ok != fits128(next) {
			t.Fatalf("row %d: add = %v with a sum of %v", i, ok, next)
		}
		if ok {
			want = next
		} else {
			refused++
		}
	}
	var scratch wideSums
	if got := bigOf(s.sums(x, &scratch).fig[0]); refused == 0 || got.Cmp(want) != 0 {
		t.Fatalf("%d refused, sum %v, want %v", refused, got, want)
	}
	b := pack(1, 0, 0, 10)
	_, slot = s.find(b)
	j, x = s.insert(b, slot)
	s.open(x, Slow)
	if fig := [6]int64{1}; s.add(j, x, &fig, 0) || s.rows(j, x) != 0 {
		t.Fatal("a bad key's cell took a row")
	}
}

// TestSpansDroppedWhenMissed: once the table of key spans is full and
// misses more often than not, a worker stops looking spans up (1000
// hosts: three small lookups cost less); one that hits keeps them. Either
// way every row is summed in its cell.
func TestSpansDroppedWhenMissed(t *testing.T) {
	defer func(n int) { maxSpans = n }(maxSpans)
	maxSpans = 64
	ag := testAgreementForBench(t)
	d, _, _, _ := newDecoder(ag, canonicalLayout(','), splitAll([]byte(benchHeader), ','))
	for _, distinct := range []int{5000, 10} {
		f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
		w := newWorker(f)
		var data []byte
		const n = 5000
		for i := 0; i < n; i++ {
			data = fmt.Appendf(data, "2025-01-02,aws,model-%d,us,USD,1.25,0,0,0,0,1\n", i%distinct)
		}
		w.block(&job{data: data})
		if dropped := w.spanLo < 0; dropped != (distinct > 64) {
			t.Errorf("%d distinct spans: dropped %v", distinct, dropped)
		}
		rows, gross := 0, int64(0)
		for ci := range w.cells.cells.c {
			for k, x := range w.cells.cells.chunk(ci) {
				rows += w.cells.rows(int32(ci<<chunkBits+k), &x)
				gross += x.fig[0]
			}
		}
		if rows != n || gross != n*1_250_000 || int(w.cells.cells.n) != distinct {
			t.Errorf("%d distinct: %d rows, gross %d, %d cells", distinct, rows, gross, w.cells.cells.n)
		}
	}
}

// TestProductNumbers: workers asking at once get one number per name,
// and the name back; past the limit, a new name's rows go to the general
// decoder (the slow rows of a block), and the others are summed.
func TestProductNumbers(t *testing.T) {
	var p productNames
	got := make([][]int32, 4)
	done := make(chan int)
	for g := range got {
		go func() {
			for i := 0; i < 2000; i++ {
				n, ok := p.id(fmt.Sprintf("model-%d", (i*(g+1))%1000))
				if !ok {
					t.Error("refused")
				}
				got[g] = append(got[g], n)
			}
			done <- g
		}()
	}
	for range got {
		<-done
	}
	for g := range got {
		for i, n := range got[g] {
			if want := fmt.Sprintf("model-%d", (i*(g+1))%1000); p.name(n) != want {
				t.Fatalf("number %d is %q, want %q", n, p.name(n), want)
			}
		}
	}
	if p.tab.Len() != 1000 {
		t.Fatalf("%d numbers for 1000 names", p.tab.Len())
	}

	ag := testAgreementForBench(t)
	d, _, _, _ := newDecoder(ag, canonicalLayout(','), splitAll([]byte(benchHeader), ','))
	f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
	f.products.max = 10
	w := newWorker(f)
	var data []byte
	for i := 0; i < 100; i++ {
		data = fmt.Appendf(data, "2025-01-02,aws,model-%d,us,USD,1.25,0,0,0,0,1\n", i%20)
	}
	res := w.block(&job{data: data})
	if len(res.slow) != 50 || w.cells.cells.n != 10 {
		t.Fatalf("%d slow rows, %d cells: want 50 and 10", len(res.slow), w.cells.cells.n)
	}
}
