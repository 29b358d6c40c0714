package ingest

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// TestCutAtKeepsItsAnswers: cutAt and recordEnd, which reuse the index of
// the next quote and line end from one record to the next, cut where the
// simulation that looked them up afresh each time cut (kept here as the
// reference), on text made of quotes, delimiters and line ends.
func TestCutAtKeepsItsAnswers(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		alphabet := []byte("a,\"\n\r;")
		n := rapid.IntRange(0, 200).Draw(rt, "n")
		data := make([]byte, n)
		for i := range data {
			data[i] = alphabet[rapid.IntRange(0, len(alphabet)-1).Draw(rt, "c")]
		}
		delim := rapid.SampledFrom([]byte{',', ';'}).Draw(rt, "delim")
		if got, want := cutAt(data, delim), refCutAt(data, delim); got != want {
			rt.Fatalf("cutAt(%q) = %d, want %d", data, got, want)
		}
		for start := 0; start <= len(data); start++ {
			if start > 0 && data[start-1] != '\n' {
				continue
			}
			if got, want := recordEnd(data, start, delim), refRecordEnd(data, start, delim); got != want {
				rt.Fatalf("recordEnd(%q, %d) = %d, want %d", data, start, got, want)
			}
		}
	})
}

// recordEnd returns the index just past the record of data that starts at
// start (after its last '\n'), as encoding/csv reads records: -1 when the
// record does not end within data.
func refRecordEnd(data []byte, start int, delim byte) int {
	i := start // in unquoted text
	for {
		nl := indexFrom(data, i, '\n')
		q := indexFrom(data, i, '"')
		if q < 0 || nl >= 0 && nl < q {
			if nl < 0 {
				return -1
			}
			return nl + 1
		}
		if q != start && data[q-1] != delim {
			// A bare quote: the record ends with its line.
			if nl < 0 {
				return -1
			}
			return nl + 1
		}
		// A quoted field: up to a quote that is not doubled.
		j := q + 1
		for {
			c := indexFrom(data, j, '"')
			if c < 0 {
				return -1
			}
			j = c + 1
			if j < len(data) && data[j] == '"' {
				j++
				continue
			}
			break
		}
		if j < len(data) && data[j] == delim {
			i = j + 1
			continue
		}
		// The line ends, or a stray byte spoils the rest of it: either
		// way the record ends with this line.
		nl = indexFrom(data, j, '\n')
		if j == len(data) || nl < 0 {
			return -1
		}
		return nl + 1
	}
}

// cutAt returns the length of data's leading whole records (0 when
// data does not hold one); data starts at a record.
func refCutAt(data []byte, delim byte) int {
	q := bytes.IndexByte(data, '"')
	if q < 0 {
		return bytes.LastIndexByte(data, '\n') + 1
	}
	// The lines before the first quote are records of their own.
	start := bytes.LastIndexByte(data[:q], '\n') + 1
	for {
		end := refRecordEnd(data, start, delim)
		if end < 0 {
			return start
		}
		q = indexFrom(data, end, '"')
		if q < 0 {
			return max(end, bytes.LastIndexByte(data, '\n')+1)
		}
		start = end + bytes.LastIndexByte(data[end:q], '\n') + 1
	}
}
