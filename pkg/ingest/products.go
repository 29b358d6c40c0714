package ingest

import (
	"sync"

	"github.com/llamashare/llamashare/internal/strtab"
)

// productNames numbers the product names of a file for all its workers at
// once: a cell's product is the same number in every worker, so merging
// workers renumbers nothing, and a name is held once (not once a worker,
// plus a map to merge them: a third of the reader's memory with 1M
// distinct products). A worker asks only for a raw text it has not seen
// (its own lookup remembers the answer), so the lock is taken once per
// distinct text and worker. The names are kept without a pointer each
// (strtab): the garbage collector has nothing in them to follow.
type productNames struct {
	mu  sync.Mutex
	tab strtab.Table
	max int32 // maxProducts, or fewer (tests); 0: maxProducts
}

// id returns name's number, adding it when new; false when maxProducts
// are numbered already.
func (p *productNames) id(name string) (int32, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := p.tab.Len(); n >= maxProducts || p.max > 0 && n >= int(p.max) {
		return p.tab.ID(name)
	}
	i, _, ok := p.tab.Add(name)
	return i, ok
}

// name returns product i's name (a number id gave): a goroutine reads
// what was written before id returned i under mu.
func (p *productNames) name(i int32) string {
	return p.tab.Name(i)
}

// place returns where product i's name is, for at.
func (p *productNames) place(i int32) (chunk, off uint32) { return p.tab.Place(i) }

// at returns the n bytes at a place of place.
func (p *productNames) at(chunk, off, n uint32) string { return p.tab.At(chunk, off, n) }
