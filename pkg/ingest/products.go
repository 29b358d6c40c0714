package ingest

import "sync"

// productNames numbers the product names of a file for all its workers at
// once: a cell's product is the same number in every worker, so merging
// workers renumbers nothing, and a name is held once (not once a worker,
// plus a map to merge them: a third of the reader's memory with 1M
// distinct products). A worker asks only for a raw text it has not seen
// (its own lookup remembers the answer), so the lock is taken once per
// distinct text and worker.
type productNames struct {
	mu  sync.Mutex
	idx map[string]int32
	n   int32
	max int32 // maxProducts, or fewer (tests); 0: maxProducts
	// Names by number, in chunks that never move: a worker reads the name
	// of a number it was given under mu, so it reads what was written
	// before.
	chunks [maxProducts / chunkSize]*[chunkSize]string
}

// id returns name's number, adding it when new; false when maxProducts
// are numbered already.
func (p *productNames) id(name string) (int32, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i, ok := p.idx[name]; ok {
		return i, true
	}
	if p.n >= maxProducts || p.max > 0 && p.n >= p.max {
		return 0, false
	}
	if p.idx == nil {
		p.idx = map[string]int32{}
	}
	i := p.n
	c := &p.chunks[i>>chunkBits]
	if *c == nil {
		*c = new([chunkSize]string)
	}
	(*c)[i&(chunkSize-1)] = name
	p.idx[name] = i
	p.n++
	return i, true
}

// name returns product i's name (a number id gave).
func (p *productNames) name(i int32) string {
	return p.chunks[i>>chunkBits][i&(chunkSize-1)]
}
