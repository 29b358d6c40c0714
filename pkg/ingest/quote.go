package ingest

import "bytes"

// Quoted fields on the fast path. encoding/csv (the general decoder) reads
// a field that starts with '"' up to the next '"' not doubled, across line
// ends; a '"' anywhere else in a field is an error that spoils the rest of
// its line. The fast path cuts the file into blocks only where encoding/csv
// would start a record, splits a line holding a quote with an RFC 4180
// splitter, and hands the general decoder a record only when that record
// is not one well-quoted line (a quoted line end, a bare or stray quote):
// that record alone, with its line number.

// indexFrom is the index of c in data at or after i, or -1.
func indexFrom(data []byte, i int, c byte) int {
	if j := bytes.IndexByte(data[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// finder answers "the index of the first c at or after i" (-1 when none)
// for a run of queries, reusing its last answer while that still holds:
// with no c in [from, at), the answer for any i in [from, at] is at.
type finder struct {
	data     []byte
	c        byte
	from, at int
	valid    bool
}

func (f *finder) next(i int) int {
	if f.valid && f.from <= i && (f.at < 0 || f.at >= i) {
		return f.at
	}
	f.from, f.at, f.valid = i, indexFrom(f.data, i, f.c), true
	return f.at
}

// recordEnd returns the index just past the record of data that starts at
// start (after its last '\n'), as encoding/csv reads records: -1 when the
// record does not end within data.
func recordEnd(data []byte, start int, delim byte) int {
	nls, quotes := finder{data: data, c: '\n'}, finder{data: data, c: '"'}
	return recordEndWith(data, start, delim, &nls, &quotes)
}

// recordEndWith is recordEnd with the finders of '\n' and '"' in data
// given (cutAt keeps them from one record to the next).
func recordEndWith(data []byte, start int, delim byte, nls, quotes *finder) int {
	i := start // in unquoted text
	for {
		nl := nls.next(i)
		q := quotes.next(i)
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
			c := quotes.next(j)
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
		nl = nls.next(j)
		if j == len(data) || nl < 0 {
			return -1
		}
		return nl + 1
	}
}

// cutAt returns the length of data's leading whole records (0 when
// data does not hold one); data starts at a record.
func cutAt(data []byte, delim byte) int {
	q := bytes.IndexByte(data, '"')
	if q < 0 {
		return bytes.LastIndexByte(data, '\n') + 1
	}
	nls, quotes := finder{data: data, c: '\n'}, finder{data: data, c: '"'}
	// The lines before the first quote are records of their own.
	start := bytes.LastIndexByte(data[:q], '\n') + 1
	for {
		end := recordEndWith(data, start, delim, &nls, &quotes)
		if end < 0 {
			return start
		}
		q = quotes.next(end)
		if q < 0 {
			return max(end, bytes.LastIndexByte(data, '\n')+1)
		}
		start = end
		if q > end {
			// Lines between this record and the next quote are records of
			// their own.
			start = end + bytes.LastIndexByte(data[end:q], '\n') + 1
		}
	}
}

// splitQuoted splits one line (without its line end) that holds a quote
// as encoding/csv would, into w.unq (the fields' text, unquoted, one after
// the other) and w.bounds (each field's end in w.unq). ok is false when
// encoding/csv would not read the line as a record of its own: a quoted
// field runs past the line, or a quote is bare or stray.
func (w *worker) splitQuoted(line []byte, delim byte) (ok bool) {
	w.unq, w.bounds = w.unq[:0], w.bounds[:0]
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			i++
			for {
				c := bytes.IndexByte(line[i:], '"')
				if c < 0 {
					return false // the field goes on past the line
				}
				w.unq = append(w.unq, line[i:i+c]...)
				i += c + 1
				if i < len(line) && line[i] == '"' {
					w.unq = append(w.unq, '"')
					i++
					continue
				}
				break
			}
			w.bounds = append(w.bounds, int32(len(w.unq)))
			if i == len(line) {
				return true
			}
			if line[i] != delim {
				return false // a stray byte after the closing quote
			}
			i++
			continue
		}
		j := bytes.IndexByte(line[i:], delim)
		field := line[i:]
		if j >= 0 {
			field = line[i : i+j]
		}
		if bytes.IndexByte(field, '"') >= 0 {
			return false // a bare quote
		}
		w.unq = append(w.unq, field...)
		w.bounds = append(w.bounds, int32(len(w.unq)))
		if j < 0 {
			return true
		}
		i += j + 1
	}
}

// quotedFields returns the fields splitQuoted found, as strings.
func (w *worker) quotedFields() []string {
	out := make([]string, len(w.bounds))
	start := int32(0)
	for i, end := range w.bounds {
		out[i] = string(w.unq[start:end])
		start = end
	}
	return out
}
