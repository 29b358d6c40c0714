//go:build amd64 && !purego

package ingest

import "golang.org/x/sys/cpu"

// masks64 is masksSWAR for chunks of 64 bytes at p, with AVX2
// (masks_amd64.s).
//
//go:noescape
func masks64(p *byte, chunks int, delim byte, d *uint64, n *uint64)

var haveAVX2 = cpu.X86.HasAVX2

// masks sets bit j of d[i] when data[64i+j] is delim, of n[i] when it is
// '\n'; data holds 64 bytes per word of d and n.
func masks(data []byte, delim byte, d, n []uint64) {
	if !haveAVX2 {
		masksSWAR(data, delim, d, n)
		return
	}
	if len(d) > 0 && len(n) >= len(d) && len(data) >= 64*len(d) {
		masks64(&data[0], len(d), delim, &d[0], &n[0])
	}
}
