package settle

import (
	"math"
	"slices"
	"strings"

	"github.com/llamashare/llamashare/internal/strtab"
	"github.com/llamashare/llamashare/pkg/money"
)

// productNames numbers the distinct product names of a run as the reader
// hands them over, and ranks them by name once before the replay: each
// period's products are then ordered by an integer, not by comparing
// names that share long prefixes, and a product's entries name it with
// four bytes. The names are kept without a pointer each (strtab): with a
// million products, a map and two lists of strings were three million
// pointers for the garbage collector to follow at every cycle.
type productNames struct {
	tab    strtab.Table
	rank   []int32 // by id: the position of the name in order (sort)
	byRank []int32 // the ids in order
}

// id returns name's number, making one on first sight.
func (pn *productNames) id(name string) int32 {
	id, _, ok := pn.tab.Add(name)
	if !ok {
		// 2^31 names or 256 GiB of them: memory runs out long before.
		panic("settle: too many distinct products")
	}
	return id
}

// name returns product id's name.
func (pn *productNames) name(id int32) string { return pn.tab.Name(id) }

// sort ranks the names; no id may be made after. It sorts the names with
// their ids side by side, so a comparison reads two strings and no table.
func (pn *productNames) sort() {
	type idName struct {
		name string
		id   int32
	}
	order := make([]idName, pn.tab.Len())
	for i := range order {
		order[i] = idName{pn.tab.Name(int32(i)), int32(i)}
	}
	slices.SortFunc(order, func(a, b idName) int { return strings.Compare(a.name, b.name) })
	pn.rank = make([]int32, len(order))
	pn.byRank = make([]int32, len(order))
	for pos, x := range order {
		pn.rank[x.id] = int32(pos)
		pn.byRank[pos] = x.id
	}
	pn.tab.Seal()
}

// productSums are a host period's product sums as the reader hands them
// over: a compact entry per group, appended (a product possibly more than
// once: a group per currency, per input file), and summed by product only
// when the period is settled (products). With a million distinct
// products, a map of full sums was most of the hand-over's time — a hash
// and a cache miss per group — and most of a run's memory. An entry is 64
// bytes without a pointer (the garbage collector does not scan its
// chunks), in chunks that grow to chunkMax entries and never move; what
// does not fit one goes aside: converted amounts to convs, anything else
// (decimals, a rate with too many decimals, rows read one by one) to
// wides as full sums. A converted entry names its currency by its place
// in curs: convs hold no pointer either.
type productSums struct {
	chunks [][]productEntry
	n      int
	convs  []convEntry
	curs   []string // the currencies of convs
	wides  []*sums
}

// productEntry is one group of a product: its amounts as read (gross,
// refunds, taxes, fees, credits, units) in units of 10^-money.FixedScale,
// and rows. ext says where the converted amounts are: extSettlement, in
// the settlement currency (amounts × 10^rateScale); ≥ 0, convs[ext];
// ≤ extWide, the entry is all in wides[extWide-ext].
type productEntry struct {
	a    [6]int64
	id   int32 // productNames
	rows int32
	ext  int32
}

const (
	extSettlement = -1
	extWide       = -2
)

// convEntry is a group's five amounts converted to the settlement
// currency (units of 10^-fixedScale), and the currency they were read in.
type convEntry struct {
	cur  int32 // in curs
	conv [5]money.Sum
}

// chunkMax is the most entries of a chunk (256 KB).
const chunkMax = 4096

// add appends an entry for product id and returns it.
func (ps *productSums) add(id int32) *productEntry {
	k := len(ps.chunks) - 1
	if k < 0 || len(ps.chunks[k]) == cap(ps.chunks[k]) {
		size := 16
		if k >= 0 {
			size = min(2*cap(ps.chunks[k]), chunkMax)
		}
		ps.chunks = append(ps.chunks, make([]productEntry, 0, size))
		k++
	}
	ps.chunks[k] = append(ps.chunks[k], productEntry{id: id, ext: extSettlement})
	ps.n++
	return &ps.chunks[k][len(ps.chunks[k])-1]
}

// addWide appends an entry for product id held as full sums, and returns
// the sums to add to.
func (ps *productSums) addWide(id int32) *sums {
	e := ps.add(id)
	e.ext = extWide - int32(len(ps.wides))
	s := &sums{}
	ps.wides = append(ps.wides, s)
	return s
}

// addGroup appends a group's entry: amounts a as read, rows, and when
// conv is not nil its amounts converted from currency cur. It returns
// false, having added nothing, when the entry cannot hold them (rows
// beyond an int32): the caller adds the group as full sums.
func (ps *productSums) addGroup(id int32, rows int, a *[6]int64, cur string, conv *[5]money.Sum) bool {
	if rows < 0 || rows > math.MaxInt32 {
		return false
	}
	e := ps.add(id)
	e.a, e.rows = *a, int32(rows)
	if conv != nil {
		e.ext = int32(len(ps.convs))
		ps.convs = append(ps.convs, convEntry{cur: ps.curIndex(cur), conv: *conv})
	}
	return true
}

// curIndex returns cur's place in curs, adding it when new (a period
// holds a handful of currencies).
func (ps *productSums) curIndex(cur string) int32 {
	for i, c := range ps.curs {
		if c == cur {
			return int32(i)
		}
	}
	ps.curs = append(ps.curs, cur)
	return int32(len(ps.curs) - 1)
}

// sumInto adds entry e to t as aggregate.group added its group before
// entries: the fixed-point sums while they fit, the decimals past them;
// the currency breakdown for converted amounts.
func (ps *productSums) sumInto(t *sums, e *productEntry) {
	if e.ext <= extWide {
		t.merge(ps.wides[extWide-e.ext])
		return
	}
	t.rows += int(e.rows)
	if u := sumOf(e.a[figUnits]); !t.fixedUnits.AddChecked(u) {
		t.addDec(figUnits, u.Decimal())
	}
	if e.ext == extSettlement {
		m := pow10(rateScale)
		for i := 0; i < 5; i++ {
			if e.a[i] == 0 {
				continue
			}
			if c := money.Product(e.a[i], m); !t.fixed[i].AddChecked(c) {
				t.addDec(i, c.Scaled(fixedScale))
			}
		}
		return
	}
	c := &ps.convs[e.ext]
	var orig [5]money.Sum
	for i := 0; i < 5; i++ {
		orig[i] = sumOf(e.a[i])
		if !c.conv[i].IsZero() && !t.fixed[i].AddChecked(c.conv[i]) {
			t.addDec(i, c.conv[i].Scaled(fixedScale))
		}
	}
	t.addCurrencyFixed(ps.curs[c.cur], &orig, &c.conv)
}

// sumOf is v as a Sum.
func sumOf(v int64) money.Sum {
	var s money.Sum
	s.Add(v)
	return s
}

// named is a product's sums and its name.
type named struct {
	name string
	sums *sums
}

// products returns the period's products by name (pn sorted), each
// product's entries summed; none when ps is nil.
func (ps *productSums) products(pn *productNames) []named {
	if ps == nil {
		return nil
	}
	type ranked struct {
		rank int32
		e    *productEntry
	}
	list := make([]ranked, 0, ps.n)
	for _, c := range ps.chunks {
		for i := range c {
			list = append(list, ranked{pn.rank[c[i].id], &c[i]})
		}
	}
	slices.SortFunc(list, func(a, b ranked) int { return int(a.rank) - int(b.rank) })
	all := make([]sums, 0, len(list)) // never grown: the pointers stay good
	out := make([]named, 0, len(list))
	for i, p := range list {
		if i == 0 || list[i-1].rank != p.rank {
			all = append(all, sums{})
			out = append(out, named{pn.name(pn.byRank[p.rank]), &all[len(all)-1]})
		}
		ps.sumInto(out[len(out)-1].sums, p.e)
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
