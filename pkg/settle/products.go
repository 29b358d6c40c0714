package settle

import (
	"slices"
	"strings"
)

// productNames numbers the distinct product names of a run as the reader
// hands them over, and ranks them by name once before the replay: each
// period's products are then ordered by an integer, not by comparing
// names that share long prefixes, and a product's entries name it with
// four bytes.
type productNames struct {
	ids    map[string]int32
	names  []string
	rank   []int32  // by id: the position of the name in order (sort)
	byRank []string // the names in order
}

// id returns name's number, making one on first sight.
func (pn *productNames) id(name string) int32 {
	if id, ok := pn.ids[name]; ok {
		return id
	}
	if pn.ids == nil {
		pn.ids = map[string]int32{}
	}
	id := int32(len(pn.names))
	pn.ids[name] = id
	pn.names = append(pn.names, name)
	return id
}

// sort ranks the names; no id may be made after.
func (pn *productNames) sort() {
	order := make([]int32, len(pn.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(pn.names[a], pn.names[b]) })
	pn.rank = make([]int32, len(order))
	pn.byRank = make([]string, len(order))
	for pos, id := range order {
		pn.rank[id] = int32(pos)
		pn.byRank[pos] = pn.names[id]
	}
	pn.ids = nil
}

// productSums are a host period's product sums as the reader hands them
// over: appended, a product possibly more than once (a group per
// currency, per input file), and merged only when the period is settled
// (products). With a million distinct products a map of them was most
// of the hand-over's time — a hash and a cache miss per group — and an
// allocation each; the entries here sit side by side instead, in chunks
// that grow to chunkMax entries: never copied, little room unused.
type productSums struct {
	chunks [][]productEntry
	n      int
}

type productEntry struct {
	id int32 // productNames
	s  sums
}

// chunkMax is the most entries of a chunk (≈ 600 KB).
const chunkMax = 4096

// add returns new sums for product id, to add one group to. Entries
// never move: the pointer stays good.
func (ps *productSums) add(id int32) *sums {
	k := len(ps.chunks) - 1
	if k < 0 || len(ps.chunks[k]) == cap(ps.chunks[k]) {
		size := 16
		if k >= 0 {
			size = min(2*cap(ps.chunks[k]), chunkMax)
		}
		ps.chunks = append(ps.chunks, make([]productEntry, 0, size))
		k++
	}
	ps.chunks[k] = append(ps.chunks[k], productEntry{id: id})
	ps.n++
	return &ps.chunks[k][len(ps.chunks[k])-1].s
}

// named is a product's sums and its name.
type named struct {
	name string
	sums *sums
}

// products returns the period's products by name (pn sorted), each
// product's entries merged into its first; none when ps is nil.
func (ps *productSums) products(pn *productNames) []named {
	if ps == nil {
		return nil
	}
	type ranked struct {
		rank int32
		sums *sums
	}
	list := make([]ranked, 0, ps.n)
	for _, c := range ps.chunks {
		for i := range c {
			list = append(list, ranked{pn.rank[c[i].id], &c[i].s})
		}
	}
	slices.SortFunc(list, func(a, b ranked) int { return int(a.rank) - int(b.rank) })
	out := make([]named, 0, len(list))
	for i, p := range list {
		if i > 0 && list[i-1].rank == p.rank {
			out[len(out)-1].sums.merge(p.sums)
			continue
		}
		out = append(out, named{pn.byRank[p.rank], p.sums})
	}
	return out
}

// merge adds o's figures to s's, as adding o's groups one by one would:
// the fixed-point sums while they fit, the decimals for the rest.
func (s *sums) merge(o *sums) {
	s.rows += o.rows
	for i := range s.fixed {
		if !s.fixed[i].AddChecked(o.fixed[i]) {
			s.addDec(i, o.fixed[i].Scaled(fixedScale))
		}
	}
	if !s.fixedUnits.AddChecked(o.fixedUnits) {
		s.addDec(figUnits, o.fixedUnits.Decimal())
	}
	if o.dec != nil {
		for i := range o.dec {
			s.addDec(i, o.dec[i])
		}
	}
	for k := range o.byCur {
		c := &o.byCur[k]
		t := s.cur(c.cur)
		for i := range c.forig {
			if !t.forig[i].AddChecked(c.forig[i]) {
				t.addDec(0, i, c.forig[i].Decimal())
			}
			if !t.fconv[i].AddChecked(c.fconv[i]) {
				t.addDec(1, i, c.fconv[i].Scaled(fixedScale))
			}
			if c.dec != nil {
				t.addDec(0, i, c.dec[0][i])
				t.addDec(1, i, c.dec[1][i])
			}
		}
	}
}
