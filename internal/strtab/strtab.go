// Package strtab numbers distinct strings 0, 1, 2, … and keeps them
// without a pointer per string: the bytes one after another in chunks
// that never move, a string named by (chunk, offset, length), and an
// open-addressing table of (hash, number) to find one. With a million
// distinct products, a map[string]int32 and a []string of names were
// three million pointers the garbage collector followed at every cycle,
// most of a run's CPU once the heap sat at the memory limit (issue 17).
//
// A Table is not safe for concurrent Add calls; Name may be called from
// any goroutine for a number that goroutine got from Add or ID with a
// happens-before edge (a lock, a channel) after Add returned it.
package strtab

import (
	"hash/maphash"
	"math/bits"
	"unsafe"
)

const (
	firstBits = 6 // refs of the first block; block k > 0 holds 2^(firstBits+k-1)
	blocks    = 32 - firstBits
	firstSize = 1 << 8  // bytes of the first chunk; each next one twice as many,
	chunkBits = 22      // up to 4 MiB
	maxChunks = 1 << 16 // (256 GiB)
)

// Table is the zero value ready to use.
type Table struct {
	seed  maphash.Seed
	slots []slot // a power of two of them, at most half full, or none
	n     int32
	// refs by number, in blocks that double in size and never move.
	refs [blocks][]ref
	// chunks of bytes, 256 to a group: the last is filled from used on;
	// a string longer than a chunk gets one of its own.
	chunks [maxChunks >> 8]*[256][]byte
	nchunk int
	used   int
}

// slot is one entry of the index, 8 bytes: a million names take 16 MB
// of slots.
type slot struct {
	h  uint32 // the high half of the string's hash with its lowest bit set; 0 = free
	id int32
}

type ref struct {
	chunk, off, len uint32
}

// Len returns how many strings are numbered.
func (t *Table) Len() int { return int(t.n) }

// ID returns s's number, or false when s has none.
func (t *Table) ID(s string) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	id, _, ok := t.find(s, hash(t.seed, s))
	return id, ok
}

// find returns s's number, or the free slot where it goes.
func (t *Table) find(s string, h uint32) (int32, int, bool) {
	mask := len(t.slots) - 1
	for i := int(h>>1) & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.h == 0 {
			return 0, i, false
		}
		if sl.h == h && t.Name(sl.id) == s {
			return sl.id, i, true
		}
	}
}

// Add returns s's number, numbering it when new (added true). It
// returns false, adding nothing, when the table is full: 2^31 strings or
// 2^16 chunks of bytes (256 GiB).
func (t *Table) Add(s string) (id int32, added, ok bool) {
	if t.slots == nil {
		t.seed = maphash.MakeSeed()
		t.slots = make([]slot, 16)
	}
	h := hash(t.seed, s)
	id, i, found := t.find(s, h)
	if found {
		return id, false, true
	}
	if t.n == 1<<31-1 {
		return 0, false, false
	}
	r, ok := t.store(s)
	if !ok {
		return 0, false, false
	}
	id = t.n
	k, j := block(id)
	if t.refs[k] == nil {
		t.refs[k] = make([]ref, max(1<<firstBits, 1<<(firstBits+k-1)))
	}
	t.refs[k][j] = r
	t.n++
	t.slots[i] = slot{h: h, id: id}
	if 2*int(t.n) > len(t.slots) {
		t.grow()
	}
	return id, true, true
}

// store copies s's bytes into a chunk.
func (t *Table) store(s string) (ref, bool) {
	if len(s) == 0 {
		return ref{}, true
	}
	last := t.chunk(t.nchunk - 1)
	if t.nchunk == 0 || t.used+len(s) > len(*last) {
		if t.nchunk == maxChunks {
			return ref{}, false
		}
		size := firstSize
		if t.nchunk > 0 {
			size = min(2*len(*last), 1<<chunkBits)
		}
		g := &t.chunks[t.nchunk>>8]
		if *g == nil {
			*g = new([256][]byte)
		}
		last = &(*g)[t.nchunk&255]
		*last = make([]byte, max(size, len(s)))
		t.nchunk++
		t.used = 0
	}
	k := t.nchunk - 1
	copy((*last)[t.used:], s)
	r := ref{chunk: uint32(k), off: uint32(t.used), len: uint32(len(s))}
	t.used += len(s)
	return r, true
}

func (t *Table) grow() {
	old := t.slots
	t.slots = make([]slot, 2*len(old))
	mask := len(t.slots) - 1
	for _, sl := range old {
		if sl.h == 0 {
			continue
		}
		i := int(sl.h>>1) & mask
		for t.slots[i].h != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = sl
	}
}

// hash is the high half of s's hash with its lowest bit set (never 0);
// a slot index is taken from the bits above that one.
func hash(seed maphash.Seed, s string) uint32 {
	return uint32(maphash.String(seed, s)>>32) | 1
}

// Seal drops the index that finds a string's number (half the table's
// memory without the bytes): Name still answers; ID and Add may no
// longer be called.
func (t *Table) Seal() { t.slots = nil }

// chunk returns chunk k's slot, or nil for k < 0.
func (t *Table) chunk(k int) *[]byte {
	if k < 0 {
		return nil
	}
	return &t.chunks[k>>8][k&255]
}

// block returns the block of refs holding number id and its index there.
func block(id int32) (int, int) {
	k := bits.Len32(uint32(id) >> firstBits)
	if k == 0 {
		return 0, int(id)
	}
	return k, int(id) - 1<<(firstBits+k-1)
}

// Name returns string id. It shares the table's bytes, which are never
// written again once stored: the string stays as it was.
func (t *Table) Name(id int32) string {
	k, j := block(id)
	return t.str(t.refs[k][j])
}

// Place returns where string id's bytes are, for At: a caller may keep
// the place instead of the number and read the string without looking
// the number up (one cache miss less).
func (t *Table) Place(id int32) (chunk, off uint32) {
	k, j := block(id)
	r := t.refs[k][j]
	return r.chunk, r.off
}

// At returns the n bytes at a place Place gave, as a string.
func (t *Table) At(chunk, off, n uint32) string {
	return t.str(ref{chunk: chunk, off: off, len: n})
}

// str returns the string r names.
func (t *Table) str(r ref) string {
	if r.len == 0 {
		return ""
	}
	return unsafe.String(&(*t.chunk(int(r.chunk)))[r.off], r.len)
}
