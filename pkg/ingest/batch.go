package ingest

import "slices"

// With many distinct keys (1000 hosts: ~100k cells a worker, 9 MB of
// cells and slots) a row's slot and then its cell are two cache misses,
// each waited for before the next row's: most of a row's time. So once a
// store is larger than the caches (batchFrom cells), the plain lines of a
// block are summed in batches of batchRows: the rows' slots are loaded
// first, all of them (the processor overlaps the misses), then the
// rows' cells are found (the slots now cached, the cells' misses
// overlapped), then the rows are added. A row the store refuses (add
// false) goes to the general decoder as it would have at once, its
// fields split again from its text; a block's rows for the general
// decoder are put back in line order.

const batchRows = 64

// batchFrom is the cells a store holds before rows are batched (a
// variable for tests: 0 batches every plain line).
var batchFrom int32 = 1 << 13

// pending is a plain line's row waiting in the batch: its cell, figures
// and rate, its line, and its text in the block.
type pending struct {
	c          cell
	m          int64
	fig        [6]int64
	line       int
	start, end int32
	j          int32 // its cell's index, or -1 (pass two)
}

// batch is a worker's rows waiting to be summed, and the text they come
// from (a block's data).
type batch struct {
	rows  [batchRows]pending
	n     int
	sink  uint64 // loads the compiler must not drop
	moved bool   // a refused row went to res.slow out of line order
	// The row being read (block sets them for a plain line, and clears
	// on: only such a row may wait).
	on         bool
	line       int
	start, end int32
}

// wait puts a row in the batch when the store is large; false: sum it now.
func (w *worker) wait(c cell, fig *[6]int64, m int64) bool {
	b := &w.batch
	if !b.on || w.cells.cells.n < batchFrom {
		return false
	}
	p := &b.rows[b.n]
	p.c, p.m, p.fig, p.line, p.start, p.end = c, m, *fig, b.line, b.start, b.end
	b.n++
	return true
}

// sumRead sums a line scan read (its figures in fig), whose record rec
// starts at data[p]: now, or in the batch when the line holds no quote
// (a refused row's fields are then its text cut at each delimiter). A
// row the fast path refuses goes to res.slow.
func (w *worker) sumRead(data []byte, p, line int, rec []byte, fig *[6]int64, res *blockResult, noQuote bool) {
	b := &w.batch
	b.on, b.line, b.start, b.end = noQuote, line, int32(p), int32(p+len(rec))
	ok := w.rowOf(rec, fig)
	b.on = false
	if !ok {
		res.slow = append(res.slow, slowRow{line, w.fieldStrings(rec)(), nil})
	}
	if b.n == batchRows {
		w.flush(data, res)
	}
}

// flush sums the batch's rows; data is the block they come from.
func (w *worker) flush(data []byte, res *blockResult) {
	b := &w.batch
	s := &w.cells
	rows := b.rows[:b.n]
	b.n = 0
	if len(rows) == 0 {
		return
	}
	var sink uint64
	if s.slots != nil {
		// Pass one: every row's first slot.
		mask := len(s.slots) - 1
		for i := range rows {
			sink += s.slots[int(hashCell(rows[i].c)>>s.shift)&mask]
		}
	}
	// Pass two: every row's cell, if it has one.
	for i := range rows {
		p := &rows[i]
		p.j, _ = s.find(p.c)
		if p.j >= 0 {
			sink += uint64(s.cells.at(p.j).fig[0])
		}
	}
	b.sink += sink
	// Pass three: add; a cell made in this pass is looked up again.
	for i := range rows {
		p := &rows[i]
		if !w.addAt(p.j, p.c, &p.fig, p.m) {
			w.refuse(data, p, res)
		}
	}
}

// addAt is add with c's index j when known (-1: looked up).
func (w *worker) addAt(j int32, c cell, fig *[6]int64, m int64) bool {
	if j < 0 {
		return w.add(c, *fig, m)
	}
	s := &w.cells
	w.last, w.lastIdx = c, j
	return s.add(j, s.cells.at(j), fig, m)
}

// refuse sends a waiting row to the general decoder, as block would
// have.
func (w *worker) refuse(data []byte, p *pending, res *blockResult) {
	rec := data[p.start:p.end]
	var fields []string
	if n, _ := w.split(rec, w.f.delim, w.f.d.nf); n == w.f.d.nf {
		fields = w.fieldStrings(rec)()
	} else {
		fields = splitAll(rec, w.f.delim)
	}
	res.slow = append(res.slow, slowRow{p.line, fields, nil})
	w.batch.moved = true
}

// ordered puts a block's rows for the general decoder back in line order
// after refused waiting rows were added at the end.
func (w *worker) ordered(res *blockResult) {
	if !w.batch.moved {
		return
	}
	w.batch.moved = false
	first := func(r slowRow) int {
		if r.raw != nil {
			return r.line + 1 // raw: the line before its first
		}
		return r.line
	}
	slices.SortStableFunc(res.slow, func(a, b slowRow) int { return first(a) - first(b) })
}
