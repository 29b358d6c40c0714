package ingest

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
)

// worker parses blocks; its caches and sums are its own. The caches map
// a field's raw text to what the normaliser (norm.go) made of it.
type worker struct {
	f     *fast
	hosts lookup // raw host text -> index in the agreement, -1 unknown
	// unknown counts the bad spellings kept in the caches (maxUnknownKept
	// at most): millions of distinct ones (each a bad row streamed to
	// --rejects) must not grow memory.
	unknown    int
	products   lookup // raw product text -> number (f.products), noProduct or emptyProduct
	currencies lookup // raw currency text -> index in codes, local or badCode
	kinds      lookup // raw kind text -> figure, kindIgnore or badKind
	dates      dateCache
	codes      []string
	byDay      []bool           // per code: sum per day
	localByDay bool             // the settlement currency: sum per day
	rates      map[uint64]int64 // (currency, day) -> rate × 10^RateScale, noRate or decimalRate
	periodDay  []int32          // day-dayBase -> first day of its period + 1 (0 = not yet known)
	dayBase    int32
	cells      cellStore
	last       cell
	lastIdx    int32 // last's index in cells, -1 before the first row
	starts     [maxFastFields]int32
	ends       [maxFastFields]int32
	unq        []byte  // a quoted line's fields, unquoted (quote.go)
	bounds     []int32 // the end of each field in unq
	prog       []int8  // per column, the figure scan reads there, or -1 (scan.go); nil: no scan
	sign       [6]int64
	iso        [10]byte // the last canonical date read, when isoSet
	isoDay     int32
	isoSet     bool
	// Key spans (keys): the columns of the first and last of host, product
	// and currency (spanLo -1: not all read), and what each span seen on a
	// plain line resolved to.
	spanLo, spanHi int
	spans          lookup
	// Once spans is full: spans looked up, and not found, in the last
	// maxSpans lookups at most.
	spanLooks, spanMisses int
	triples               [][3]int32
	plainLine             bool      // the line being read holds no quote
	masks                 lineMasks // the block's delimiters and line ends, for scanWords
	batch                 batch     // plain lines' rows waiting to be summed (batch.go)
}

func newWorker(f *fast) *worker {
	w := &worker{f: f, lastIdx: -1}
	w.localByDay = f.agg.ByDay != nil && f.agg.ByDay(f.d.a.Currency)
	w.prog, w.sign = scanProgram(f.d, f.delim)
	w.spanLo, w.spanHi = -1, -1
	if d := f.d; d.l.host == nil && d.col[fHost] >= 0 && d.col[fProduct] >= 0 && d.col[fCurrency] >= 0 {
		w.spanLo = min(d.col[fHost], d.col[fProduct], d.col[fCurrency])
		w.spanHi = max(d.col[fHost], d.col[fProduct], d.col[fCurrency])
	}
	return w
}

// block parses one block of whole records.
func (w *worker) block(j *job) *blockResult {
	res := &blockResult{seq: j.seq, buf: j.buf}
	data, line := j.data, j.line
	nf := w.f.d.nf
	delim := w.f.delim
	quote := bytes.IndexByte(data, '"') // the next quote, or -1
	w.masks.reset(data, delim)
	var fig [6]int64
	for p := 0; p < len(data); {
		line++
		if w.prog != nil {
			// The common line: unquoted, plain, read in one pass.
			q := quote
			if q >= 0 {
				q -= p
			}
			end, ok := w.scanWords(data, p, q, &fig)
			w.plainLine = ok // each quote of its line wraps a whole text field: its text decides its keys
			if !ok {
				end, ok = w.scan(data[p:], q, &fig)
				w.plainLine = quote < 0 || quote >= p+end
			}
			if ok {
				rec := data[p : p+end]
				if len(rec) > 0 && rec[len(rec)-1] == '\r' {
					rec = rec[:len(rec)-1]
				}
				res.rows++
				w.sumRead(data, p, line, rec, &fig, res, quote < 0 || quote >= p+end)
				p += end + 1
				if quote >= 0 && quote < p {
					quote = -1
					if p < len(data) {
						quote = indexFrom(data, p, '"')
					}
				}
				continue
			}
		}
		n, end := w.split(data[p:], delim, nf)
		next := len(data)
		if end >= 0 {
			end += p
			next = end + 1
		} else {
			end = len(data)
		}
		rec := data[p:end]
		if len(rec) > 0 && rec[len(rec)-1] == '\r' {
			rec = rec[:len(rec)-1]
			if n <= nf {
				w.ends[n-1]--
			}
		}
		if quote >= 0 && quote < end {
			// The line holds a quote: whole fields in quotes, or the
			// RFC 4180 splitter.
			if n != nf || !w.unquote(rec) {
				p = w.quoted(data, p, end, &line, res)
			} else {
				p = next
				w.record(rec, n, line, res, w.fieldStrings(rec))
			}
			quote = -1
			if p < len(data) {
				quote = indexFrom(data, p, '"')
			}
			continue
		}
		p = next
		if len(rec) == 0 {
			continue // a blank line: encoding/csv skips it too
		}
		w.record(rec, n, line, res, func() []string { return splitAll(rec, delim) })
	}
	w.flush(data, res)
	w.ordered(res)
	return res
}

// unquote handles the common quoted line: each quote opens or closes a
// whole field, which holds neither a delimiter nor a quote. It moves those
// fields' bounds inside their quotes; false when the line is not so.
func (w *worker) unquote(rec []byte) bool {
	quotes := 0
	for i := 0; i < w.f.d.nf; i++ {
		s, e := w.starts[i], w.ends[i]
		if e-s >= 2 && rec[s] == '"' && rec[e-1] == '"' {
			quotes += 2
		}
	}
	if quotes == 0 || bytes.Count(rec, []byte{'"'}) != quotes {
		return false
	}
	for i := 0; i < w.f.d.nf; i++ {
		s, e := w.starts[i], w.ends[i]
		if e-s >= 2 && rec[s] == '"' && rec[e-1] == '"' {
			w.starts[i], w.ends[i] = s+1, e-1
		}
	}
	return true
}

// fieldStrings returns a function giving the nf fields of rec as strings.
func (w *worker) fieldStrings(rec []byte) func() []string {
	return func() []string {
		out := make([]string, w.f.d.nf)
		for i := range out {
			out[i] = string(w.field(rec, i))
		}
		return out
	}
}

// quoted reads the record that starts at data[p], on a line (ending at
// end) that holds a quote, and returns where the next record starts.
func (w *worker) quoted(data []byte, p, end int, line *int, res *blockResult) int {
	delim := w.f.delim
	rec := data[p:end]
	if len(rec) > 0 && rec[len(rec)-1] == '\r' {
		rec = rec[:len(rec)-1]
	}
	if !w.splitQuoted(rec, delim) {
		// Not a record of one well-quoted line: the general decoder reads
		// this record, alone.
		stop := recordEnd(data, p, delim)
		if stop < 0 {
			stop = len(data) // the end of the file, inside quotes
		}
		res.slow = append(res.slow, slowRow{line: *line - 1, raw: append([]byte(nil), data[p:stop]...)})
		*line += bytes.Count(data[p:stop-1], []byte{'\n'})
		return stop
	}
	nf := w.f.d.nf
	start := int32(0)
	for i, e := range w.bounds {
		if i == nf {
			break
		}
		w.starts[i], w.ends[i] = start, e
		start = e
	}
	n := min(len(w.bounds), nf+1)
	w.record(w.unq, n, *line, res, w.quotedFields)
	return min(end+1, len(data))
}

// record reads a record of n fields (nf+1 when more), whose bounds are in
// w.starts and w.ends: fields gives them as strings for the general
// decoder.
func (w *worker) record(rec []byte, n, line int, res *blockResult, fields func() []string) {
	nf := w.f.d.nf
	if w.footer(rec) {
		return
	}
	if n != nf {
		all := fields()
		if !blank(all) {
			res.rows++
			res.slow = append(res.slow, slowRow{line, all, nil})
		}
		return
	}
	if w.blank(rec) {
		return
	}
	res.rows++
	if !w.row(rec) {
		res.slow = append(res.slow, slowRow{line, fields(), nil})
	}
}

const (
	swarOnes = 0x0101010101010101
	swarLow7 = 0x7f7f7f7f7f7f7f7f
)

// zeroBytes has 0x80 in each byte of x that is zero, and nothing else.
func zeroBytes(x uint64) uint64 {
	return ^(((x & swarLow7) + swarLow7) | x | swarLow7)
}

// split finds the fields of the line at the start of data, eight bytes at
// a time: it records up to nf fields' bounds in w.starts and w.ends and
// returns how many fields the line has (nf+1 when it has more than nf) and
// the index of its newline, or -1 when it runs to the end of data.
func (w *worker) split(data []byte, delim byte, nf int) (int, int) {
	dm := uint64(delim) * swarOnes
	nm := uint64('\n') * swarOnes
	n, start, i := 0, 0, 0
	mark := func(pos int) {
		if n < nf {
			w.starts[n], w.ends[n] = int32(start), int32(pos)
		}
		n++
		start = pos + 1
	}
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		nl := zeroBytes(x ^ nm)
		m := zeroBytes(x^dm) | nl
		for m != 0 {
			pos := i + bits.TrailingZeros64(m)>>3
			if nl != 0 && data[pos] == '\n' {
				mark(pos)
				return min(n, nf+1), pos
			}
			mark(pos)
			m &= m - 1
		}
	}
	for ; i < len(data); i++ {
		switch data[i] {
		case '\n':
			mark(i)
			return min(n, nf+1), i
		case delim:
			mark(i)
		}
	}
	mark(len(data))
	return min(n, nf+1), -1
}

// splitAll splits an unquoted record into strings, for the slow path.
func splitAll(rec []byte, delim byte) []string {
	return strings.Split(string(rec), string(delim))
}

func (w *worker) field(rec []byte, col int) []byte {
	if col < 0 {
		return nil
	}
	return rec[w.starts[col]:w.ends[col]]
}

// footer reports a footer row (ignore_prefix on the first field): not a row.
func (w *worker) footer(rec []byte) bool {
	prefix := w.f.d.l.footer
	if prefix == "" {
		return false
	}
	return strings.HasPrefix(strings.TrimSpace(string(w.field(rec, 0))), prefix)
}

// blank reports a record of empty fields: not a row.
func (w *worker) blank(rec []byte) bool {
	if s, e := w.starts[0], w.ends[0]; e > s && rec[s] > ' ' && rec[s] < 0x80 {
		return false // the common case, decided by one byte
	}
	for i := 0; i < w.f.d.nf; i++ {
		if len(bytes.TrimSpace(w.field(rec, i))) > 0 {
			return false
		}
	}
	return true
}

// trim drops ASCII spaces and tabs at both ends; ok is false when a byte
// at either end is outside ASCII (strings.TrimSpace would look further).
func trim(b []byte) ([]byte, bool) {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && (b[0] >= 0x80 || b[len(b)-1] >= 0x80) {
		return b, false
	}
	return b, true
}
