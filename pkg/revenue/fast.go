package revenue

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// The fast path. Most revenue files are plain: no quotes, ISO dates, plain
// amounts. Such rows are split and parsed at the byte level into exact
// fixed-point sums, on every core, in blocks cut at line ends, and summed
// per (host, product, currency, period): SPEC 5 says summing rows at the
// (host, product, currency, day) grain never changes a settlement, and the
// day matters only to daily fx, whose rows are converted at once (or, when
// a rate cannot be used as an integer, kept per day). Any row the fast path is not
// sure of (an unusual amount, a date with a time, an unknown host, a
// ragged row) goes through the same decoder as the slow path, in file
// order; from the first block holding a quote on, the rest of the file is
// read by encoding/csv. The fast path is an optimisation only: it accepts
// nothing the slow path would refuse and sums exactly what it would.

// Verdict is where an Aggregator puts the rows of a key.
type Verdict uint8

// The verdicts.
const (
	Keep    Verdict = iota // settle them: the reader sums them into a Group
	Outside                // count them as outside
	Slow                   // hand them to the row callback one by one (say, to reject each with its line)
)

// Key is what rows summed together share.
type Key struct {
	Host     *agreement.Host
	Product  string
	Currency string
	Day      time.Time
	Period   period.Period // the settlement period of Day
	// Converted: the rows' amounts were converted with the daily rate of
	// each row's own day (so a rate exists), and Day is the period's first.
	Converted bool
}

// Group is the exact sum of the rows of one Key.
type Group struct {
	Key
	Rows int
	// Sums holds gross, refunds, taxes, fees, credits and units, in that
	// order, exactly, in units of 10^-money.FixedScale; when Converted, the
	// five amounts are already in the settlement currency, in units of
	// 10^-(money.FixedScale+RateScale) (units are never converted).
	Sums [6]money.Sum
	// Original holds, when Converted, the five amounts as read in the
	// key's Currency (units of 10^-money.FixedScale): what a partner's own
	// report shows, for the settlement's currency breakdown.
	Original [5]money.Sum
}

// RateScale is the decimal places of a rate the fast path converts with
// (Aggregator.Rate).
const RateScale = 12

// The figures of a Group, as decimals.
func (g *Group) Gross() decimal.Decimal   { return g.Sums[0].Decimal() }
func (g *Group) Refunds() decimal.Decimal { return g.Sums[1].Decimal() }
func (g *Group) Taxes() decimal.Decimal   { return g.Sums[2].Decimal() }
func (g *Group) Fees() decimal.Decimal    { return g.Sums[3].Decimal() }
func (g *Group) Credits() decimal.Decimal { return g.Sums[4].Decimal() }
func (g *Group) Units() decimal.Decimal   { return g.Sums[5].Decimal() }

// Aggregator lets ReadFile sum plain rows itself instead of calling the row
// callback for each.
type Aggregator struct {
	// Classify decides once per key where its rows go. It is called from
	// several goroutines at once.
	Classify func(k *Key) Verdict
	// Group receives the sums of each kept key, and Outside the count of
	// each outside one, after the file is read, from one goroutine.
	Group   func(g *Group)
	Outside func(k *Key, rows int)
	// ByDay reports whether rows in a currency must be summed per day
	// (daily fx conversion); when false, or when ByDay is nil, rows are
	// summed per settlement period and a Key's Day is the period's first
	// day.
	ByDay func(currency string) bool
	// Rate, when set, gives the daily rate of a currency that ByDay sums
	// per day, as rate × 10^RateScale; m is 0 when the rate has more
	// decimals (the rows are then summed per day and converted by the
	// caller), err when there is none. Rows converted with it are summed
	// per period, already in the settlement currency. It is called from
	// several goroutines at once.
	Rate func(currency string, day time.Time, p period.Period) (m int64, err error)
}

// DefaultBlockSize is how much of a file one worker parses at a time.
const DefaultBlockSize = 1 << 20

// maxFastFields bounds the columns the fast path splits.
const maxFastFields = 64

// fast is the fast path of one file.
type fast struct {
	block   int
	d       *decoder
	agg     *Aggregator
	delim   byte
	workers int
	hostIdx map[*agreement.Host]int
}

// newFast returns the fast path for a file, or nil when its layout needs
// the slow path for every row (ledger formats, date formats, decimal
// commas, a multi-byte delimiter, too many columns, a rejects file fed
// back: its cells are restored one by one).
func newFast(d *decoder, opts Options) *fast {
	l := d.l
	if opts.Aggregate == nil || d.rejects || l.ledger || l.date != nil || l.decimal != '.' || l.delim >= 0x80 || d.nf > maxFastFields || d.nf < 2 {
		return nil
	}
	f := &fast{block: DefaultBlockSize, d: d, agg: opts.Aggregate, delim: byte(l.delim), workers: runtime.GOMAXPROCS(0), hostIdx: map[*agreement.Host]int{}}
	if opts.BlockSize > 0 {
		f.block = opts.BlockSize
	}
	for i, h := range d.a.Hosts {
		f.hostIdx[h] = i
	}
	return f
}

// job is a block of whole lines.
type job struct {
	seq  int
	buf  []byte
	data []byte // buf[:n], ending at a line end (or the end of the file)
	line int    // physical line before data's first byte
}

// result is what a worker found in a block, for the coordinator.
type blockResult struct {
	seq  int
	rows int
	slow []slowRow
	buf  []byte
}

type slowRow struct {
	line   int
	fields []string
}

// read reads the rows of r (the file after its header; base is the line
// before r's first byte).
func (f *fast) read(rd *fileReader, r io.Reader, base int) error {
	jobs := make(chan *job, f.workers)
	results := make(chan *blockResult, 2*f.workers)
	free := make(chan []byte, 2*f.workers+2)
	for i := 0; i < cap(free); i++ {
		free <- make([]byte, f.block)
	}
	states := make([]*worker, f.workers)
	var wg sync.WaitGroup
	for i := range states {
		w := newWorker(f)
		states[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- w.block(j)
			}
		}()
	}
	// The collector hands slow rows to the callbacks in file order.
	var rowErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		pending := map[int]*blockResult{}
		next := 0
		for res := range results {
			pending[res.seq] = res
			for {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				rd.in.Rows += p.rows
				for _, s := range p.slow {
					if rowErr == nil {
						rowErr = rd.one(s.line, s.fields)
					}
				}
				free <- p.buf
			}
		}
	}()

	// The reader cuts the stream into blocks of whole lines.
	var rest io.Reader // set when the slow path takes over
	var readErr error
	line, seq := base, 0
	carry := []byte(nil)
	for {
		buf := <-free
		n := copy(buf, carry)
		m, err := io.ReadFull(r, buf[n:])
		n += m
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			readErr = err
			free <- buf
			break
		}
		data := buf[:n]
		if bytes.IndexByte(data, '"') >= 0 {
			// Quoted fields: encoding/csv reads from here on.
			rest = io.MultiReader(bytes.NewReader(append([]byte(nil), data...)), r)
			free <- buf
			break
		}
		cut := len(data)
		if !eof {
			cut = bytes.LastIndexByte(data, '\n') + 1
			if cut == 0 {
				// A line longer than a block: encoding/csv reads from here.
				rest = io.MultiReader(bytes.NewReader(append([]byte(nil), data...)), r)
				free <- buf
				break
			}
		}
		carry = append(carry[:0], data[cut:]...)
		if cut > 0 {
			jobs <- &job{seq: seq, buf: buf, data: data[:cut], line: line}
			seq++
			line += bytes.Count(data[:cut], []byte{'\n'})
		} else {
			free <- buf
		}
		if eof {
			break
		}
	}
	close(jobs)
	wg.Wait()
	close(results)
	<-done
	if readErr != nil {
		return readErr
	}
	if rowErr != nil {
		return rowErr
	}
	if rest != nil {
		if err := rd.slow(rest, line); err != nil {
			return err
		}
	}
	// Hand over the sums: every worker's cells, merged into the first's.
	into := states[0]
	for _, w := range states[1:] {
		into.merge(w)
	}
	for c, i := range into.cells {
		s := &into.store[i]
		if s.rows == 0 {
			continue
		}
		k := into.key(c)
		switch s.verdict {
		case Keep:
			g := s.group(k)
			f.agg.Group(g)
		case Outside:
			f.agg.Outside(&k, s.rows)
		}
	}
	return nil
}

// cell is a compact key of one worker, with its own numbering of products
// and currencies: host (12 bits), product (20), currency (8, 255 = the
// settlement currency) and day (24, days since 1970).
type cell uint64

func pack(host, product, currency, day int32) cell {
	return cell(uint64(host)<<52 | uint64(product)<<32 | uint64(currency&0xff)<<24 | uint64(day&0xffffff))
}

// The currency of a cell that is not one of the worker's codes: the
// settlement currency as read, or amounts converted into it by the worker.
const (
	local = -1 // 0xff in a cell
)

// convertedBit marks a cell (in its day field, whose days since 1970 stay
// below 1<<23: the year 24,937) whose amounts the worker converted with
// the daily rate of its currency: they are summed per period in the
// settlement currency, beside their originals.
const convertedBit = 1 << 23

// converted reports whether c's amounts are converted.
func (c cell) converted() bool { return c&convertedBit != 0 }

func (c cell) unpack() (host, product, currency, day int32) {
	host = int32(c >> 52)
	product = int32(c >> 32 & 0xfffff)
	currency = int32(c >> 24 & 0xff)
	if currency >= 0xfe {
		currency -= 0x100
	}
	return host, product, currency, int32(c & (convertedBit - 1))
}

type sums struct {
	verdict Verdict
	rows    int
	fig     [6]money.Sum // gross, refunds, taxes, fees, credits, units
	orig    [5]money.Sum // a converted cell's amounts as read
}

// worker parses blocks; its caches and sums are its own.
type worker struct {
	f     *fast
	hosts lookup // raw host text -> index in the agreement, -1 unknown
	// unknownHosts counts the unknown spellings in hosts (maxUnknownKept at most).
	unknownHosts int
	products     lookup // raw product text -> index in names
	names        []string
	nameIdx      map[string]int32 // name -> first index in names, for intern
	indexed      int              // names[:indexed] are in nameIdx
	currencies   lookup
	codes        []string
	byDay        []bool           // per code: sum per day
	localByDay   bool             // the settlement currency: sum per day
	rates        map[uint64]int64 // (currency, day) -> rate × 10^RateScale, noRate or decimalRate
	periodDay    []int32          // day-dayBase -> first day of its period + 1 (0 = not yet known)
	dayBase      int32
	cells        map[cell]int32 // -> index in store
	store        []sums
	last         cell
	lastIdx      int32 // -1 before the first row
	starts       [maxFastFields]int32
	ends         [maxFastFields]int32
}

func newWorker(f *fast) *worker {
	w := &worker{f: f, cells: map[cell]int32{}, lastIdx: -1}
	w.localByDay = f.agg.ByDay != nil && f.agg.ByDay(f.d.a.Currency)
	return w
}

// lookup maps a field's raw text to a number: a short list searched in
// order while it is short (a report names few hosts, products and
// currencies; comparing a few bytes beats hashing them), a map after.
type lookup struct {
	keys []string
	vals []int32
	m    map[string]int32
}

const lookupList = 16

// maxUnknownKept bounds the unknown host spellings a worker remembers.
const maxUnknownKept = 1024

func (l *lookup) get(raw []byte) (int32, bool) {
	if l.m != nil {
		v, ok := l.m[string(raw)]
		return v, ok
	}
	for i, k := range l.keys {
		if k == string(raw) {
			return l.vals[i], true
		}
	}
	return 0, false
}

func (l *lookup) put(raw []byte, v int32) {
	if l.m == nil && len(l.keys) < lookupList {
		l.keys = append(l.keys, string(raw))
		l.vals = append(l.vals, v)
		return
	}
	if l.m == nil {
		l.m = make(map[string]int32, 2*lookupList)
		for i, k := range l.keys {
			l.m[k] = l.vals[i]
		}
	}
	l.m[string(raw)] = v
}

// grain returns the day rows of a currency are summed at: the day itself,
// or the first day of its settlement period.
func (w *worker) grain(day, currency int32) int32 {
	byDay := w.localByDay
	if currency >= 0 {
		byDay = w.byDay[currency]
	}
	if byDay {
		return day
	}
	return w.periodFirst(day)
}

// periodFirst returns the first day of day's settlement period.
func (w *worker) periodFirst(day int32) int32 {
	// A dense cache by day: rows of a report span a few years at most.
	i := int(day - w.dayBase)
	if w.periodDay == nil || i < 0 || i >= len(w.periodDay) {
		w.growDays(day)
		i = int(day - w.dayBase)
	}
	if first := w.periodDay[i]; first != 0 {
		return first - 1
	}
	t := time.Unix(int64(day)*86400, 0).UTC()
	start := period.Of(t, w.f.d.a.Period).Start()
	first := int32(start.Unix() / 86400)
	w.periodDay[i] = first + 1
	return first
}

const (
	noRate      = -1 // no usable rate: the rows are bad, and summed per day to be told so
	decimalRate = -2 // more decimals than RateScale: summed per day, converted by the caller
)

// rate returns the daily rate of a currency for day as an integer, or
// noRate or decimalRate.
func (w *worker) rate(currency, day int32) int64 {
	k := uint64(currency)<<32 | uint64(uint32(day))
	if m, ok := w.rates[k]; ok {
		return m
	}
	m := int64(decimalRate)
	if w.f.agg.Rate != nil {
		t := time.Unix(int64(day)*86400, 0).UTC()
		v, err := w.f.agg.Rate(w.codes[currency], t, period.Of(t, w.f.d.a.Period))
		switch {
		case err != nil:
			m = noRate
		case v > 0:
			m = v
		}
	}
	if w.rates == nil {
		w.rates = map[uint64]int64{}
	}
	w.rates[k] = m
	return m
}

// growDays makes the day cache cover day.
func (w *worker) growDays(day int32) {
	lo, hi := day-400, day+400
	if w.periodDay != nil {
		lo = min(lo, w.dayBase)
		hi = max(hi, w.dayBase+int32(len(w.periodDay)))
	}
	if hi-lo > 1<<16 {
		// A file spanning centuries: start afresh around day.
		lo, hi = day-400, day+400
		w.periodDay = nil
	}
	days := make([]int32, hi-lo)
	if w.periodDay != nil {
		copy(days[w.dayBase-lo:], w.periodDay)
	}
	w.periodDay, w.dayBase = days, lo
}

// block parses one block of lines.
func (w *worker) block(j *job) *blockResult {
	res := &blockResult{seq: j.seq, buf: j.buf}
	data, line := j.data, j.line
	nf := w.f.d.nf
	delim := w.f.delim
	for len(data) > 0 {
		line++
		n, end := w.split(data, delim, nf)
		var rec []byte
		if end < 0 {
			rec, data = data, nil
		} else {
			rec, data = data[:end], data[end+1:]
		}
		if len(rec) > 0 && rec[len(rec)-1] == '\r' {
			rec = rec[:len(rec)-1]
			if n <= nf {
				w.ends[n-1]--
			}
		}
		if len(rec) == 0 {
			continue // a blank line: encoding/csv skips it too
		}
		if w.footer(rec) {
			continue
		}
		if n != nf {
			all := splitAll(rec, delim)
			if !blank(all) {
				res.rows++
				res.slow = append(res.slow, slowRow{line, all})
			}
			continue
		}
		if w.blank(rec) {
			continue
		}
		res.rows++
		if !w.row(rec) {
			res.slow = append(res.slow, slowRow{line, splitAll(rec, delim)})
		}
	}
	return res
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
	first := rec
	if i := bytes.IndexByte(rec, w.f.delim); i >= 0 {
		first = rec[:i]
	}
	return strings.HasPrefix(strings.TrimSpace(string(first)), prefix)
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

// row sums a plain row; false sends it to the slow path.
func (w *worker) row(rec []byte) bool {
	d := w.f.d
	if d.col[fPeriod] >= 0 && len(w.field(rec, d.col[fPeriod])) > 0 {
		return false
	}
	date, ok := trim(w.field(rec, d.col[fDate]))
	if !ok {
		return false
	}
	day, ok := parseDay(date)
	if !ok {
		return false
	}
	var hostI, productI, currencyI int32
	// Host.
	if d.l.host != nil {
		hostI = int32(w.f.hostIdx[d.l.host])
	} else {
		raw := w.field(rec, d.col[fHost])
		h, seen := w.hosts.get(raw)
		if !seen {
			h = -1
			if t := strings.TrimSpace(string(raw)); t != "" {
				if host := d.a.Host(t); host != nil {
					h = int32(w.f.hostIdx[host])
				}
			}
			if h >= 0 || w.unknownHosts < maxUnknownKept {
				// Unknown host spellings are remembered only up to a
				// bound: millions of distinct ones (each a bad row
				// streamed to --rejects) must not grow memory.
				if h < 0 {
					w.unknownHosts++
				}
				w.hosts.put(raw, h)
			}
		}
		if h < 0 {
			return false
		}
		hostI = h
	}
	// Product.
	raw := w.field(rec, d.col[fProduct])
	p, seen := w.products.get(raw)
	if !seen {
		p = -1
		if name := strings.ToLower(strings.TrimSpace(string(raw))); name != "" && utf8.Valid(raw) && bytes.IndexByte(raw, 0) < 0 {
			if v, ok := d.l.products[name]; ok {
				name = v
			}
			p = int32(len(w.names))
			w.names = append(w.names, name)
		}
		w.products.put(raw, p)
	}
	if p < 0 || p >= 1<<20 {
		return false
	}
	productI = p
	// Currency.
	currencyI = local
	if col := d.col[fCurrency]; col >= 0 {
		raw := w.field(rec, col)
		if len(raw) > 0 {
			cur, seen := w.currencies.get(raw)
			if !seen {
				cur = -2
				if u := strings.ToUpper(strings.TrimSpace(string(raw))); isCode(u) && len(w.codes) < 255 {
					if u == d.a.Currency {
						cur = local
					} else {
						cur = int32(len(w.codes))
						w.codes = append(w.codes, u)
						w.byDay = append(w.byDay, w.f.agg.ByDay != nil && w.f.agg.ByDay(u))
					}
				} else if u == "" {
					cur = local
				}
				w.currencies.put(raw, cur)
			}
			if cur == -2 {
				return false
			}
			currencyI = cur
		}
	}
	if hostI >= 1<<12 || day < 0 || day >= convertedBit {
		return false
	}
	// Daily fx: convert the row now, exactly, and sum it per period (and
	// its currency, whose original sums are kept beside).
	var m int64
	conv := false
	if currencyI >= 0 && w.byDay[currencyI] {
		if m = w.rate(currencyI, day); m > 0 {
			conv = true
			day = w.periodFirst(day)
		}
	}
	c := pack(hostI, productI, currencyI, w.grain(day, currencyI))
	if conv {
		c |= convertedBit
	}
	// Figures.
	var fig [6]int64
	for f := firstFigure; f <= lastFigure; f++ {
		col := d.col[f]
		if col < 0 {
			continue
		}
		b := w.field(rec, col)
		v, ok := money.ParseFixed(b)
		if !ok {
			// Spaces around it, or empty: trimmed, the plain forms again.
			if b, ok = trim(b); !ok {
				return false
			}
			if len(b) == 0 {
				if f == fGross {
					return false
				}
				continue
			}
			if v, ok = money.ParseFixed(b); !ok {
				return false
			}
		}
		if d.l.negate[f] {
			v = -v
		}
		fig[f-firstFigure] = v
	}
	// Sum.
	i := w.lastIdx
	if i < 0 || c != w.last {
		var seen bool
		if i, seen = w.cells[c]; !seen {
			k := w.key(c)
			i = int32(len(w.store))
			w.store = append(w.store, sums{verdict: w.f.agg.Classify(&k)})
			w.cells[c] = i
		}
		w.last, w.lastIdx = c, i
	}
	s := &w.store[i]
	if s.verdict == Slow {
		return false
	}
	if s.verdict == Keep {
		if conv {
			// Amount × rate is exact in 128 bits; a sum beyond them (10^20
			// in the settlement currency) is left to the slow path.
			next := s.fig
			for i, v := range fig[:5] {
				if v != 0 && !next[i].AddChecked(money.Product(v, m)) {
					return false
				}
			}
			next[5].Add(fig[5])
			s.fig = next
			for i, v := range fig[:5] {
				if v != 0 {
					s.orig[i].Add(v)
				}
			}
		} else {
			for i, v := range fig {
				if v != 0 {
					s.fig[i].Add(v)
				}
			}
		}
	}
	s.rows++
	return true
}

// key expands a cell.
func (w *worker) key(c cell) Key {
	d := w.f.d
	host, product, currency, day := c.unpack()
	k := Key{Host: d.a.Hosts[host], Product: w.names[product], Currency: d.a.Currency}
	if currency >= 0 {
		k.Currency = w.codes[currency]
	}
	k.Day = time.Unix(int64(day)*86400, 0).UTC()
	k.Period = period.Of(k.Day, d.a.Period)
	k.Converted = c.converted()
	return k
}

// merge adds o's sums into w's, renumbering o's products and currencies.
func (w *worker) merge(o *worker) {
	products := make([]int32, len(o.names))
	for i, name := range o.names {
		products[i] = w.intern(name)
	}
	currencies := make([]int32, len(o.codes))
	for i, code := range o.codes {
		currencies[i] = w.code(code, o.byDay[i])
	}
	for c, j := range o.cells {
		s := &o.store[j]
		host, product, currency, day := c.unpack()
		if currency >= 0 {
			currency = currencies[currency]
		}
		k := pack(host, products[product], currency, day) | c&convertedBit
		i, seen := w.cells[k]
		if !seen {
			w.cells[k] = int32(len(w.store))
			w.store = append(w.store, *s)
			continue
		}
		t := &w.store[i]
		t.rows += s.rows
		for i := range s.fig {
			t.fig[i].AddSum(s.fig[i])
		}
		for i := range s.orig {
			t.orig[i].AddSum(s.orig[i])
		}
	}
	o.cells, o.store = nil, nil
}

// intern returns the index of a product name, adding it when new. The
// index map catches up with names row added (the first index of a name
// wins), so merging workers stays linear in distinct products: a scan of
// names here made 1M distinct products take hours.
func (w *worker) intern(name string) int32 {
	if w.nameIdx == nil {
		w.nameIdx = make(map[string]int32, len(w.names))
	}
	for ; w.indexed < len(w.names); w.indexed++ {
		if _, ok := w.nameIdx[w.names[w.indexed]]; !ok {
			w.nameIdx[w.names[w.indexed]] = int32(w.indexed)
		}
	}
	if i, ok := w.nameIdx[name]; ok {
		return i
	}
	w.names = append(w.names, name)
	w.indexed = len(w.names)
	i := int32(len(w.names) - 1)
	w.nameIdx[name] = i
	return i
}

// code returns the index of a currency code, adding it when new.
func (w *worker) code(code string, byDay bool) int32 {
	for i, c := range w.codes {
		if c == code {
			return int32(i)
		}
	}
	w.codes = append(w.codes, code)
	w.byDay = append(w.byDay, byDay)
	return int32(len(w.codes) - 1)
}

// group hands a cell's sums over.
func (s *sums) group(k Key) *Group {
	return &Group{Key: k, Rows: s.rows, Sums: s.fig, Original: s.orig}
}

// parseDay reads YYYY-MM-DD as days since 1970-01-01; false for anything
// else (a timestamp, an impossible date), which the slow path decides.
func parseDay(b []byte) (int32, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	num := func(b []byte) (int, bool) {
		n := 0
		for _, c := range b {
			if c-'0' > 9 {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[:4])
	m, ok2 := num(b[5:7])
	dd, ok3 := num(b[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || dd < 1 || dd > daysIn(y, m) {
		return 0, false
	}
	return int32(daysFromCivil(y, m, dd)), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is Howard Hinnant's days_from_civil.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
