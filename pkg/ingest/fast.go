package ingest

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// The fast path. Every layout a format can declare (delimiter, decimal
// comma, date_format, ledger amount and kind, negate, renames, quoted
// fields) is read here: rows are split and parsed at the byte level into
// exact fixed-point sums, on every core, in blocks cut where records end,
// and summed per (host, product, currency, period): SPEC 5 says summing
// rows at the (host, product, currency, day) grain never changes a
// settlement, and the day matters only to daily fx, whose rows are
// converted at once (or, when a rate cannot be used as an integer, kept
// per day). Each distinct raw text of a date, host, product, currency or
// kind is read once, by the decoder's own normaliser (norm.go). A row the
// fast path is not sure of (an unusual amount, a period label, an unknown
// host, a ragged row) goes to the general decoder, alone and in file
// order, and so does a record that is not one well-quoted line (quote.go).
// The fast path is an optimisation only: it accepts nothing the general
// decoder would refuse and sums exactly what it would.

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
	Host    *agreement.Host
	Product string
	// ProductNum is 1 + Product's number among the products of the file
	// being read (the same for every key of that product in that file),
	// or 0: a caller may key by it instead of hashing the name again.
	ProductNum int32
	Currency   string
	Day        time.Time
	Period     period.Period // the settlement period of Day
	// Converted: the rows' amounts were converted with the daily rate of
	// each row's own day (so a rate exists), and Day is the period's first.
	Converted bool
	// Ignored: the rows are ledger rows of a kind the format ignores
	// (Row.Ignored), of any product and currency, and Day is the period's
	// first. Their sums are zero.
	Ignored bool
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
	// each outside one, after the file is read, from one goroutine; a key
	// may come in more than one Group (their sums add up). g is the
	// reader's until the call returns: keep copies, not g.
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
	block    int
	d        *decoder
	agg      *Aggregator
	delim    byte
	workers  int
	hostIdx  map[*agreement.Host]int
	products productNames
}

// newFast returns the fast path for a file, or nil when its layout needs
// the slow path for every row (a multi-byte delimiter, too many columns,
// a rejects file fed back: its cells are restored one by one).
func newFast(d *decoder, opts Options) *fast {
	l := d.l
	if opts.Aggregate == nil || d.rejects || l.delim >= 0x80 || l.delim == '"' || l.delim == '\r' || l.delim == '\n' || d.nf > maxFastFields || d.nf < 2 {
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

// job is a block of whole records.
type job struct {
	seq  int
	buf  []byte
	data []byte // buf[:n], ending where a record ends (or at the end of the file)
	line int    // physical line before data's first byte
}

// result is what a worker found in a block, for the coordinator.
type blockResult struct {
	seq  int
	rows int
	slow []slowRow
	buf  []byte
}

// slowRow is a row for the general decoder: its fields as read, or (raw)
// a record for encoding/csv to read; line is the line of its first byte,
// or (raw) the line before it.
type slowRow struct {
	line   int
	fields []string
	raw    []byte
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
	var rowErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		rowErr = collect(rd, results, free)
	}()
	rest, line, readErr := f.cut(r, base, jobs, free)
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
	f.handOver(states)
	return nil
}

// collect hands the rows the workers leave to the general decoder to the
// callbacks, in file order, and recycles the blocks.
func collect(rd *fileReader, results <-chan *blockResult, free chan<- []byte) error {
	var rowErr error
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
				if rowErr != nil {
					break
				}
				if s.raw != nil {
					rowErr = rd.slow(bytes.NewReader(s.raw), s.line)
				} else {
					rowErr = rd.one(s.line, s.fields)
				}
			}
			free <- p.buf
		}
	}
	return rowErr
}

// cut cuts r into blocks of whole records, for the workers. rest, when
// set, is what is left of r after a record longer than a block (for the
// slow path), starting after line.
func (f *fast) cut(r io.Reader, base int, jobs chan<- *job, free chan []byte) (rest io.Reader, line int, err error) {
	line, seq := base, 0
	carry := []byte(nil)
	for {
		buf := <-free
		n := copy(buf, carry)
		m, err := io.ReadFull(r, buf[n:])
		n += m
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			free <- buf
			return nil, line, err
		}
		data := buf[:n]
		cut := len(data)
		if !eof {
			if cut = cutAt(data, f.delim); cut == 0 {
				// A record longer than a block: encoding/csv reads from here.
				free <- buf
				return io.MultiReader(bytes.NewReader(append([]byte(nil), data...)), r), line, nil
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
			return nil, line, nil
		}
	}
}
