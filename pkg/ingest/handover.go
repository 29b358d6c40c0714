package ingest

// handOver merges every worker's cells into the first's and hands the sums
// to the Aggregator, chunk by chunk, letting each go once handed over.
func (f *fast) handOver(states []*worker) {
	into := states[0]
	for i, w := range states[1:] {
		into.merge(w)
		states[i+1] = nil
	}
	s := &into.cells
	s.slots = nil
	var g Group
	var scratch wideSums
	hand := func(c cell, ext int32, rows int, sums *wideSums) {
		if rows == 0 || ext == extSlow {
			return // a bad key's, or rows that went to the general decoder
		}
		g.Key = into.key(c)
		if ext == extOutside {
			f.agg.Outside(&g.Key, rows)
			return
		}
		g.Rows, g.Sums, g.Original = rows, sums.fig, sums.orig
		f.agg.Group(&g)
	}
	for ci := range s.cells.c {
		for k := range s.cells.chunk(ci) {
			x := &s.cells.c[ci][k]
			hand(x.key, x.ext, s.rows(int32(ci<<chunkBits+k), x), s.sums(x, &scratch))
		}
		s.cells.c[ci] = nil
	}
	for i := range s.apart {
		a := &s.apart[i]
		hand(a.key, 1, a.rows, &a.wideSums)
	}
	*s = cellStore{}
}

// merge adds o's sums into w's, renumbering o's currencies, and lets o's
// cells go chunk by chunk.
func (w *worker) merge(o *worker) {
	currencies := make([]int32, len(o.codes))
	for i, code := range o.codes {
		currencies[i] = w.code(code, o.byDay[i])
	}
	s, os := &w.cells, &o.cells
	os.slots = nil
	var batch [batchRows]merging
	n := 0
	for ci := range os.cells.c {
		for k := range os.cells.chunk(ci) {
			ox := &os.cells.c[ci][k]
			rows := os.rows(int32(ci<<chunkBits+k), ox)
			if rows == 0 || ox.ext == extSlow {
				continue
			}
			c := ox.key
			if host, product, currency, day := c.unpack(); currency >= 0 {
				c = pack(host, product, currencies[currency], day) | c&convertedBit
			}
			batch[n] = merging{c, ox, rows, -1}
			if n++; n == len(batch) {
				s.mergeAll(batch[:], os)
				n = 0
			}
		}
		// A batch's cells are merged before their chunk goes.
		s.mergeAll(batch[:n], os)
		n = 0
		os.cells.c[ci] = nil
	}
	s.apart = append(s.apart, os.apart...)
	*os = cellStore{}
}

// apartCell is a cell kept apart from its store's table: a merged cell
// whose sums and its twin's would leave 128 bits together. The Aggregator
// sums groups of one key.
type apartCell struct {
	key  cell
	rows int
	wideSums
}

// merging is a cell of another store waiting to be merged: its key in
// this one, its sums and rows, and the index of its twin here (-1: none
// found yet).
type merging struct {
	c    cell
	ox   *cellSums
	rows int
	j    int32
}

// mergeAll merges o's cells in batch as batch.go sums rows: every twin's
// slot loaded, then every twin found and its cell loaded, then merged
// (the misses overlap).
func (s *cellStore) mergeAll(batch []merging, o *cellStore) {
	if s.slots != nil {
		var sink uint64
		mask := len(s.slots) - 1
		for i := range batch {
			sink += s.slots[int(hashCell(batch[i].c)>>s.shift)&mask]
		}
		for i := range batch {
			m := &batch[i]
			if m.j, _ = s.find(m.c); m.j >= 0 {
				sink += uint64(s.cells.at(m.j).fig[0])
			}
		}
		s.sink += sink
	}
	for i := range batch {
		m := &batch[i]
		s.merge(m.j, m.c, o, m.ox, m.rows)
	}
}

// merge adds o's cell ox (of rows rows), whose key in s is c, to s's; j
// is its twin's index in s, or -1 to look it up.
func (s *cellStore) merge(j int32, c cell, o *cellStore, ox *cellSums, rows int) {
	slot := 0
	if j < 0 {
		j, slot = s.find(c)
	}
	if j < 0 {
		j, x := s.insert(c, slot)
		x.fig = ox.fig
		switch {
		case ox.ext > 0:
			x.ext = s.wide.grow() + 1
			*s.wide.at(x.ext - 1) = *o.wide.at(ox.ext - 1)
		case ox.ext <= extConv:
			x.ext = extConv - s.conv.grow()
			*s.conv.at(extConv - x.ext) = *o.conv.at(extConv - ox.ext)
		default:
			x.ext = ox.ext
		}
		s.addRows(j, x, rows)
		return
	}
	x := s.cells.at(j)
	switch {
	case ox.ext == extOutside || x.ext == extOutside || x.ext == extSlow:
		// One key, one verdict: rows only.
	case ox.ext == extNarrow && x.ext == extNarrow && addInt64s(&x.fig, &ox.fig):
	case ox.ext <= extConv && x.ext <= extConv && s.mergeConv(x, o, ox):
	default:
		var scratch wideSums
		os := o.sums(ox, &scratch)
		if x.ext <= 0 {
			s.widen(x)
		}
		y := s.wide.at(x.ext - 1)
		next := *y
		ok := true
		for k := range next.fig {
			ok = next.fig[k].AddChecked(os.fig[k]) && ok
		}
		for k := range next.orig {
			ok = next.orig[k].AddChecked(os.orig[k]) && ok
		}
		if !ok {
			s.apart = append(s.apart, apartCell{key: c, rows: rows, wideSums: *os})
			return
		}
		*y = next
	}
	s.addRows(j, x, rows)
}

// mergeConv adds converted cell ox's sums to converted cell x's when they
// stay within their bits (false: x unchanged).
func (s *cellStore) mergeConv(x *cellSums, o *cellStore, ox *cellSums) bool {
	cv := s.conv.at(extConv - x.ext)
	next := *cv
	for k, v := range o.conv.at(extConv - ox.ext) {
		if !next[k].AddChecked(v) {
			return false
		}
	}
	if !addInt64s(&x.fig, &ox.fig) {
		return false
	}
	*cv = next
	return true
}
