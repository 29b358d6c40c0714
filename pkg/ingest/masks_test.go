package ingest

import (
	"math/rand/v2"
	"testing"
)

// TestMasksAgree: masks (AVX2 where there is), masksSWAR and a byte loop
// set the same bits, on random bytes rich in delimiters, line ends and
// bytes that differ from them by one bit or are past 0x7f.
func TestMasksAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{',', ';', '\t', '\n', '\r', '"', 'a', '0', 0x8a, 0xac, 0xff, 0x00, 0x0b, 0x2d, 0x6c}
	for _, delim := range []byte{',', ';', '\t', '|'} {
		for round := 0; round < 50; round++ {
			words := 1 + rng.IntN(40)
			data := make([]byte, 64*words)
			for i := range data {
				data[i] = alphabet[rng.IntN(len(alphabet))]
			}
			d1, n1 := make([]uint64, words), make([]uint64, words)
			d2, n2 := make([]uint64, words), make([]uint64, words)
			masks(data, delim, d1, n1)
			masksSWAR(data, delim, d2, n2)
			for i := 0; i < words; i++ {
				var dw, nw uint64
				for j := 0; j < 64; j++ {
					switch data[64*i+j] {
					case delim:
						dw |= 1 << j
					case '\n':
						nw |= 1 << j
					}
				}
				if d1[i] != dw || n1[i] != nw || d2[i] != dw || n2[i] != nw {
					t.Fatalf("delim %q word %d: masks %x %x, masksSWAR %x %x, want %x %x", delim, i, d1[i], n1[i], d2[i], n2[i], dw, nw)
				}
			}
		}
	}
}
