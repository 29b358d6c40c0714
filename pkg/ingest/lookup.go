package ingest

import (
	"bytes"
	"hash/maphash"
	"math"
)

// lookup maps a field's raw text to a number: an open-addressing table
// keyed by the text's hash (hash/maphash, seeded per table), probed
// linearly and kept at most half full. Every row looks up its host,
// product and currency: a string map (which hashes a string made of the
// bytes) or a list compared in order cost more per row than one hash and
// one compare.
//
// The keys' bytes are kept one after another in keys and a slot names
// them by offset and length: with a million distinct products, a string
// per slot was two million small objects the garbage collector scanned,
// pointer by pointer, at every cycle (issue 17).
//
// A product spelled as its name (the common case) is not copied: its
// slot names the file's product number and the key is that product's
// name (names, putName).
type lookup struct {
	seed  maphash.Seed
	slots []lookupSlot // a power of two of them, or none
	keys  []byte       // the keys, slot by slot as put
	names *productNames
	n     int
}

// A slot whose key is a product's name has nameFlag in its len, and in
// its off the place of the name's bytes in names (chunk<<placeBits |
// offset), or nameKey: the key is names.name(val).
const (
	nameFlag  = 1 << 31
	nameKey   = math.MaxUint32
	placeBits = 22                    // offsets in a strtab chunk (4 MiB, or one long string at 0)
	maxChunk  = 1<<(32-placeBits) - 2 // chunks past it (4 GiB of names): by number
)

// lookupSlot is 16 bytes: a million distinct products in two workers'
// lookups are 64 MB of slots, not 96.
type lookupSlot struct {
	h   uint32 // the key's hash's high half with its lowest bit set; 0 = free
	off uint32 // the key is keys[off : off+len], or see nameFlag
	len uint32
	val int32
}

// maxUnknownKept bounds the bad spellings a worker remembers.
const maxUnknownKept = 1024

func (l *lookup) get(raw []byte) (int32, bool) {
	if l.n == 0 {
		return 0, false
	}
	h := hashHigh(maphash.Bytes(l.seed, raw))
	mask := len(l.slots) - 1
	for i := int(h>>1) & mask; ; i = (i + 1) & mask {
		s := &l.slots[i]
		if s.h == h && int(s.len&^nameFlag) == len(raw) && l.equal(s, raw) {
			return s.val, true
		}
		if s.h == 0 {
			return 0, false
		}
	}
}

// equal reports whether s's key is raw.
func (l *lookup) equal(s *lookupSlot, raw []byte) bool {
	switch {
	case s.len&nameFlag == 0:
		return bytes.Equal(l.keys[s.off:s.off+s.len], raw)
	case s.off == nameKey:
		return l.names.name(s.val) == string(raw)
	}
	return l.names.at(s.off>>placeBits, s.off&(1<<placeBits-1), s.len&^nameFlag) == string(raw)
}

// putName adds raw (not in l yet), which is product v's name in names,
// without copying it.
func (l *lookup) putName(names *productNames, raw []byte, v int32) {
	if len(raw) >= nameFlag {
		l.put(raw, v)
		return
	}
	l.names = names
	off := uint32(nameKey)
	if c, o := names.place(v); c <= maxChunk && o < 1<<placeBits {
		off = c<<placeBits | o
	}
	l.add(raw, lookupSlot{off: off, len: uint32(len(raw)) | nameFlag, val: v})
}

// put adds raw (not in l yet) with its value. Past 4 GiB of keys it adds
// nothing: get then misses and the caller works the answer out again.
func (l *lookup) put(raw []byte, v int32) {
	if len(l.keys)+len(raw) >= nameKey {
		return
	}
	off := len(l.keys)
	l.keys = append(l.keys, raw...)
	l.add(raw, lookupSlot{off: uint32(off), len: uint32(len(raw)), val: v})
}

// add puts slot s for key raw, growing the table first when it is half
// full.
func (l *lookup) add(raw []byte, s lookupSlot) {
	if l.slots == nil {
		l.seed = maphash.MakeSeed()
		l.slots = make([]lookupSlot, 16)
	}
	if 2*(l.n+1) > len(l.slots) {
		old := l.slots
		l.slots = make([]lookupSlot, 2*len(old))
		for _, o := range old {
			if o.h != 0 {
				l.insert(o)
			}
		}
	}
	s.h = hashHigh(maphash.Bytes(l.seed, raw))
	l.insert(s)
	l.n++
}

func (l *lookup) insert(s lookupSlot) {
	mask := len(l.slots) - 1
	i := int(s.h>>1) & mask
	for l.slots[i].h != 0 {
		i = (i + 1) & mask
	}
	l.slots[i] = s
}

// hashHigh is h's high half with its lowest bit set (never 0); a slot
// index is taken from the bits above that one.
func hashHigh(h uint64) uint32 { return uint32(h>>32) | 1 }
