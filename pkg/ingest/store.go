package ingest

import (
	"math"

	"github.com/llamashare/llamashare/pkg/money"
)

// A worker's sums, by cell (cellStore). Every row adds its figures to its
// cell's, so the store is read and written once a row, at a place the
// row's key decides: with many distinct keys (1000 hosts, 100k products)
// that is a cache miss or two a row, and the store's size is what the
// reader holds in memory. So a cell is one cache line (cellSums, 64 bytes:
// its key, its rows and six int64 sums), found through a flat table of
// 8-byte slots (a hash tag and the cell's index: no pointer, probed
// linearly, at most half full), and cells live in fixed chunks (growing
// copies nothing, and a merged worker's cells go chunk by chunk).
//
// Exact in every case: a converted cell (amounts × a daily rate need 128
// bits) keeps its five converted sums in 128 bits in a side table (conv),
// its originals and units in the cell; a cell whose int64 sums would
// overflow moves them all to 128 bits in another (wideSums).

// cellSums is one cell's sums. ext says where they are: extNarrow (fig),
// a wide index + 1 (the wide table), extConv - a conv index (the converted
// sums there, fig the originals and units), or the rows' verdict when they
// are not summed (extOutside, extSlow).
type cellSums struct {
	key  cell
	rows uint32 // rows summed, modulo 2^32 (the rest in cellStore.more)
	ext  int32
	fig  [6]int64 // gross, refunds, taxes, fees, credits, units
}

const (
	extNarrow  = 0
	extOutside = -1
	extSlow    = -2
	extConv    = -3
)

// wideSums is a cell's sums in 128 bits: fig as Group.Sums, orig as
// Group.Original (a converted cell's amounts as read).
type wideSums struct {
	fig  [6]money.Sum
	orig [5]money.Sum
}

const (
	chunkBits = 12
	chunkSize = 1 << chunkBits
	// maxCells bounds the cells of the workers together (indexes are
	// int32, conv ones negative): a worker makes its share, and a row that
	// would make one more goes to the general decoder.
	maxCells = math.MaxInt32 / 2
)

// chunks is a growable array in chunks of chunkSize.
type chunks[T any] struct {
	c [][]T
	n int32
}

func (a *chunks[T]) at(i int32) *T { return &a.c[i>>chunkBits][i&(chunkSize-1)] }

// grow adds a zero element and returns its index.
func (a *chunks[T]) grow() int32 {
	if int(a.n)>>chunkBits == len(a.c) {
		a.c = append(a.c, make([]T, chunkSize))
	}
	a.n++
	return a.n - 1
}

// chunk returns the elements in use of chunk i.
func (a *chunks[T]) chunk(i int) []T {
	return a.c[i][:min(chunkSize, int(a.n)-i*chunkSize)]
}

// cellStore is a worker's cells.
type cellStore struct {
	slots []uint64 // tag | index+1, 0 = free; a power of two of them
	shift uint     // 64 - log2(len(slots))
	cells chunks[cellSums]
	wide  chunks[wideSums]
	conv  chunks[[5]money.Sum]
	more  map[int32]int // index -> rows beyond a cell's uint32 count
	apart []apartCell
	sink  uint64 // loads the compiler must not drop (mergeAll)
}

// hashCell returns c's hash: its top bits are where c's probe starts,
// and its top 32 bits are kept in c's slot (the tag), so that a slot
// tells most cells apart without reading them, and the table doubles
// without reading the cells: a slot's tag says where it goes.
func hashCell(c cell) uint64 { return uint64(c) * 0x9e3779b97f4a7c15 }

const tagMask = math.MaxUint64 &^ math.MaxUint32

// find returns c's index, or -1 and the free slot where it goes.
func (s *cellStore) find(c cell) (int32, int) {
	if s.slots == nil {
		s.slots, s.shift = make([]uint64, 1<<10), 64-10
	}
	h := hashCell(c)
	tag := h & tagMask
	mask := len(s.slots) - 1
	for i := int(h >> s.shift); ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			return -1, i
		}
		if v&tagMask == tag {
			if j := int32(uint32(v)) - 1; s.cells.at(j).key == c {
				return j, i
			}
		}
	}
}

// insert adds c at slot (from find) and returns its cell.
func (s *cellStore) insert(c cell, slot int) (int32, *cellSums) {
	j := s.cells.grow()
	s.slots[slot] = hashCell(c)&tagMask | uint64(j+1)
	x := s.cells.at(j)
	x.key = c
	if 2*int(s.cells.n) > len(s.slots) {
		s.rehash()
	}
	return j, x
}

// rehash doubles the table. Its slots are taken in order, so their new
// places are too (nearly: a probe run may wrap around the end).
func (s *cellStore) rehash() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	s.shift--
	mask := len(s.slots) - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := int(v & tagMask >> s.shift)
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = v
	}
}

// open sets a new cell's sums: where converted amounts go, or the rows'
// verdict.
func (s *cellStore) open(x *cellSums, v Verdict) {
	switch {
	case v == Slow:
		x.ext = extSlow
	case v == Outside:
		x.ext = extOutside
	case x.key.converted():
		x.ext = extConv - s.conv.grow()
	}
}

// sums returns cell x's sums in 128 bits (nil for a verdict's).
func (s *cellStore) sums(x *cellSums, into *wideSums) *wideSums {
	switch {
	case x.ext > 0:
		return s.wide.at(x.ext - 1)
	case x.ext == extNarrow:
		*into = wideSums{}
		for k, v := range x.fig {
			into.fig[k].Add(v)
		}
	case x.ext <= extConv:
		*into = wideSums{}
		copy(into.fig[:5], s.conv.at(extConv - x.ext)[:])
		into.fig[5].Add(x.fig[5])
		for k, v := range x.fig[:5] {
			into.orig[k].Add(v)
		}
	default:
		return nil
	}
	return into
}

// widen moves x's sums to the wide table.
func (s *cellStore) widen(x *cellSums) *wideSums {
	i := s.wide.grow()
	y := s.wide.at(i)
	s.sums(x, y)
	x.fig = [6]int64{}
	x.ext = i + 1
	return y
}

// addRows adds n rows to cell j's.
func (s *cellStore) addRows(j int32, x *cellSums, n int) {
	t := int(x.rows) + n
	x.rows = uint32(t)
	if hi := t - int(x.rows); hi != 0 {
		if s.more == nil {
			s.more = map[int32]int{}
		}
		s.more[j] += hi
	}
}

// rows returns cell j's rows.
func (s *cellStore) rows(j int32, x *cellSums) int {
	n := int(x.rows)
	if s.more != nil {
		n += s.more[j]
	}
	return n
}

// add sums a row's figures into cell j (x); m is the daily rate of a
// converted cell. false: the row goes to the general decoder (its key's
// rows are bad, or a converted sum would leave 128 bits).
func (s *cellStore) add(j int32, x *cellSums, fig *[6]int64, m int64) bool {
	switch {
	case x.ext == extNarrow:
		if !addInt64s(&x.fig, fig) {
			// Beyond int64: this cell's sums go wide.
			addWide(s.widen(x), x.key, fig, m)
		}
	case x.ext > 0:
		if !addWide(s.wide.at(x.ext-1), x.key, fig, m) {
			return false
		}
	case x.ext <= extConv:
		cv := s.conv.at(extConv - x.ext)
		next, ok := addConverted(*cv, fig, m)
		if !ok {
			return false
		}
		if addInt64s(&x.fig, fig) {
			*cv = next
		} else {
			addWide(s.widen(x), x.key, fig, m) // checked just above
		}
	case x.ext == extSlow:
		return false
	}
	s.addRows(j, x, 1)
	return true
}

// addConverted returns conv plus fig's five amounts converted with rate m;
// false when a sum would leave 128 bits (amount × rate is exact in them;
// a sum beyond, 10^20 in the settlement currency, is the slow path's).
func addConverted(conv [5]money.Sum, fig *[6]int64, m int64) ([5]money.Sum, bool) {
	for k, v := range fig[:5] {
		if v != 0 && !conv[k].AddChecked(money.Product(v, m)) {
			return conv, false
		}
	}
	return conv, true
}

// addWide adds a row's figures to 128-bit sums; false when a converted
// sum would leave them (s unchanged).
func addWide(s *wideSums, c cell, fig *[6]int64, m int64) bool {
	if !c.converted() {
		// A sum of int64 values leaves 128 bits after 2^64 rows only.
		for k, v := range fig {
			s.fig[k].Add(v)
		}
		return true
	}
	conv, ok := addConverted([5]money.Sum(s.fig[:5]), fig, m)
	if !ok {
		return false
	}
	copy(s.fig[:5], conv[:])
	s.fig[5].Add(fig[5])
	for k, v := range fig[:5] {
		s.orig[k].Add(v)
	}
	return true
}

// addInt64s adds b to a when no sum leaves int64 (false: a unchanged).
func addInt64s(a, b *[6]int64) bool {
	next := *a
	for k, v := range b {
		t := next[k] + v
		if (t^v)&(t^next[k]) < 0 {
			return false
		}
		next[k] = t
	}
	*a = next
	return true
}

// add sums a row's figures into its cell; m is the daily rate of a
// converted cell. false: the row goes to the general decoder.
func (w *worker) add(c cell, fig [6]int64, m int64) bool {
	if w.wait(c, &fig, m) {
		return true
	}
	s := &w.cells
	j := w.lastIdx
	var x *cellSums
	if j >= 0 && c == w.last {
		x = s.cells.at(j)
	} else {
		var slot int
		if j, slot = s.find(c); j >= 0 {
			x = s.cells.at(j)
		} else {
			if int(s.cells.n) >= maxCells/w.f.workers {
				return false
			}
			k := w.key(c)
			v := w.f.agg.Classify(&k)
			j, x = s.insert(c, slot)
			s.open(x, v)
		}
		w.last, w.lastIdx = c, j
	}
	return s.add(j, x, &fig, m)
}

// addIgnored counts a row of a kind the format ignores (Row.Ignored) in
// its cell.
func (w *worker) addIgnored(host, day int32) bool {
	if day >= maxDay {
		return false
	}
	return w.add(pack(host, 0, ignored, w.periodFirst(day)), [6]int64{}, 0)
}
