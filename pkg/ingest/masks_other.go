//go:build !amd64 || purego

package ingest

// masks sets bit j of d[i] when data[64i+j] is delim, of n[i] when it is
// '\n'; data holds 64 bytes per word of d and n.
func masks(data []byte, delim byte, d, n []uint64) { masksSWAR(data, delim, d, n) }
