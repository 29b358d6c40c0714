package ingest

import (
	"bytes"
	"sync"

	"github.com/parquet-go/parquet-go"
)

// Parquet into the fast path's sums, typed (issue 18). When the fast path
// reads a file (newFast), a Parquet file's values are not written as text
// and parsed again: each row group is read, column by column, page by
// page, with parquet-go's typed values, straight into what the fast path's
// worker keeps for a row — the day, the indexes of host, product, currency
// and kind, and the figures in fixed point — and summed by the same worker
// code (fastrow.go, cells.go), on every core, a row group at a time.
//
// Exactness is by construction: a value is read typed only where that
// gives what its text would (parquet_columns.go); anything else is written
// as today's text (appendValue) and read by the same function the fast
// path uses for a field's text — and strings (dictionary-encoded or not)
// always are, once per distinct dictionary value, through the decoder's
// own normaliser (norm.go). A row the fast path would not sum goes to the
// general decoder with its fields as text and its line, and a row with a
// field holding a newline, a carriage return or a quote as the CSV text
// today's path would write. A worker holds pqWindow rows of its row group
// at a time.

// pqResult is what a worker made of one row group, for the collector.
type pqResult struct {
	seq   int
	rows  int       // rows counted (those left to the general decoder too, but raw ones)
	lines int       // physical lines of the row group's text
	slow  []slowRow // rows for the general decoder; line is relative to the row group
	err   error
}

// readParquetTyped reads the rows of pf through the fast path fst.
func readParquetTyped(fst *fast, rd *fileReader, pf *parquet.File, cols []pqColumn, used []bool) error {
	rgs := pf.RowGroups()
	workers := max(1, min(fst.workers, len(rgs)))
	states := make([]*worker, workers)
	jobs := make(chan int)
	results := make(chan *pqResult, workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range states {
		p := newPQWorker(fst, rd.d, cols, used)
		states[i] = p.w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for g := range jobs {
				select {
				case results <- p.rowGroup(g, rgs[g]):
				case <-stop:
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for g := range rgs {
			select {
			case jobs <- g:
			case <-stop:
				return
			}
		}
	}()
	err := collectParquet(rd, results, len(rgs))
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	fst.handOver(states)
	return nil
}

// collectParquet hands what the workers leave to the general decoder to
// the callbacks, in file order. The header is line 1; each row group's
// text follows.
func collectParquet(rd *fileReader, results <-chan *pqResult, n int) error {
	pending := map[int]*pqResult{}
	base := 1
	for next := 0; next < n; {
		res := <-results
		pending[res.seq] = res
		for p, ok := pending[next]; ok; p, ok = pending[next] {
			delete(pending, next)
			next++
			if p.err != nil {
				return pqProblem(rd.path, 0, "cannot read Parquet: "+p.err.Error(), "")
			}
			rd.in.Rows += p.rows
			for _, s := range p.slow {
				var err error
				if s.raw != nil {
					err = rd.slow(bytes.NewReader(s.raw), base+s.line)
				} else {
					err = rd.one(base+s.line, s.fields)
				}
				if err != nil {
					return err
				}
			}
			base += p.lines
		}
	}
	return nil
}

// pqWindow is how many rows of a row group a worker reads at a time (a
// variable for the tests).
var pqWindow = 4096

// pqLeft is a row left to the general decoder: row is its index in the
// row group; raw, that it goes as CSV text (a field holds a newline, a
// carriage return or a quote).
type pqLeft struct {
	row int
	raw bool
}

// rowGroup reads one row group, pqWindow rows at a time: the columns of
// the rows, then the rows.
func (p *pqWorker) rowGroup(seq int, rg parquet.RowGroup) *pqResult {
	res := &pqResult{seq: seq}
	n := int(rg.NumRows())
	res.lines = n
	ccs := rg.ColumnChunks()
	for i := range p.fields {
		p.fields[i].open(ccs[p.fields[i].col])
	}
	defer func() {
		for i := range p.fields {
			p.fields[i].close()
		}
	}()
	var left []pqLeft
	for start := 0; start < n; start += pqWindow {
		m := min(pqWindow, n-start)
		for i := range p.fields {
			if err := p.fill(&p.fields[i], m); err != nil {
				res.err = err
				return res
			}
		}
		left = p.rows(res, start, m, left)
	}
	for i := range p.fields {
		if err := p.fields[i].end(); err != nil {
			res.err = err
			return res
		}
	}
	if len(left) > 0 {
		p.leftRows(res, rg, left)
	}
	return res
}

// rows sums the m rows of the window that starts at row start, and
// returns left with those it leaves to the general decoder.
func (p *pqWorker) rows(res *pqResult, start, m int, left []pqLeft) []pqLeft {
	for r := 0; r < m; r++ {
		any, all := uint8(0), uint8(0xff)
		for i := range p.fields {
			s := p.fields[i].st[r]
			any |= s
			all &= s
		}
		switch {
		case any&pqRaw != 0:
			left = append(left, pqLeft{start + r, true})
		case p.footer >= 0 && p.fields[p.footer].st[r]&pqFooter != 0:
			// a footer row, as ignore_prefix says: not a row
		case all&pqBlank != 0:
			// every field empty: not a row
		default:
			res.rows++
			if !p.row(r) {
				left = append(left, pqLeft{start + r, false})
			}
		}
	}
	return left
}

// leftRows gives the rows left to the general decoder their text: the
// fields of each, or (raw) its CSV text, whose newlines move the lines of
// the rows after it.
func (p *pqWorker) leftRows(res *pqResult, rg parquet.RowGroup, left []pqLeft) {
	c := p.conv
	if _, err := c.read(rg); err != nil {
		res.err = err
		return
	}
	extra := 0
	for _, l := range left {
		if l.raw {
			text := c.appendRow(nil, l.row)
			res.slow = append(res.slow, slowRow{line: l.row + extra, raw: text})
			extra += bytes.Count(text, []byte{'\n'}) - 1
			continue
		}
		fields := make([]string, len(c.cols))
		for i := range c.cols {
			if !c.used[i] {
				continue
			}
			if v := c.vals[i][l.row]; !v.IsNull() {
				fields[i] = string(appendValue(nil, &c.cols[i], v, c.dec, c.days))
			}
		}
		res.slow = append(res.slow, slowRow{line: l.row + 1 + extra, fields: fields})
	}
	res.lines += extra
}

// at returns field f's value and flags in row r.
func (p *pqWorker) at(f, r int) (int64, uint8) {
	i := p.byF[f]
	if i < 0 {
		return p.absV[f], p.absSt[f]
	}
	return p.fields[i].v[r], p.fields[i].st[r]
}

// row sums row r as the fast path's worker.row sums a record; false leaves
// it to the general decoder.
func (p *pqWorker) row(r int) bool {
	w, d := p.w, p.d
	if _, st := p.at(fPeriod, r); p.byF[fPeriod] >= 0 && st&pqEmpty == 0 {
		return false
	}
	v, st := p.at(fDate, r)
	if st&pqBad != 0 {
		return false
	}
	day := int32(v)
	var host int32
	if d.l.host != nil {
		host = int32(w.f.hostIdx[d.l.host])
	} else if v, st = p.at(fHost, r); st&pqBad != 0 {
		return false
	} else {
		host = int32(v)
	}
	v, st = p.at(fProduct, r)
	if st&pqBad != 0 {
		return false
	}
	product := int32(v)
	currency := int32(local)
	if p.byF[fCurrency] >= 0 {
		if v, st = p.at(fCurrency, r); st&pqBad != 0 {
			return false
		}
		currency = int32(v)
	}
	var fig [6]int64
	if d.l.ledger {
		v, st = p.at(fKind, r)
		switch f := int(v); {
		case st&pqBad != 0:
			return false
		case f == kindIgnore:
			return w.addIgnored(host, day)
		default:
			if !p.ledgerFigures(r, f, &fig) {
				return false
			}
		}
	} else if !p.figures(r, &fig) {
		return false
	}
	if product < 0 {
		return false // empty
	}
	return w.sum(host, product, currency, day, fig)
}

// figures reads the figure fields of row r: only gross may be empty.
func (p *pqWorker) figures(r int, fig *[6]int64) bool {
	for f := firstFigure; f <= lastFigure; f++ {
		if p.byF[f] < 0 {
			continue
		}
		v, st := p.at(f, r)
		if st&pqBad != 0 || st&pqNoAmount != 0 && f == fGross {
			return false
		}
		if p.d.l.negate[f] {
			v = -v
		}
		fig[f-firstFigure] = v
	}
	return true
}

// ledgerFigures reads a ledger row's amount as figure f, beside its units.
func (p *pqWorker) ledgerFigures(r, f int, fig *[6]int64) bool {
	neg := &p.d.l.negate
	if p.byF[fUnits] >= 0 {
		v, st := p.at(fUnits, r)
		if st&pqBad != 0 {
			return false
		}
		if neg[fUnits] {
			v = -v
		}
		fig[5] = v
	}
	v, st := p.at(fAmount, r)
	if st&(pqBad|pqNoAmount) != 0 {
		return false
	}
	if neg[f] {
		v = -v
	}
	fig[f-firstFigure] += v
	return true
}
