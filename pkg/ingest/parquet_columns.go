package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/llamashare/llamashare/pkg/money"
)

// How the typed path reads a column's values (parquet_typed.go): each value
// becomes what the fast path's worker makes of a field's text — a day, an
// index, a fixed-point amount — and flags.

// The flags of a field's value in a row.
const (
	pqEmpty    = 1 << iota // its text is empty (a null)
	pqBlank                // its text is empty or white space
	pqRaw                  // its text holds a newline, a carriage return or a quote
	pqFooter               // column 0's text starts with the format's ignore_prefix
	pqBad                  // the fast path cannot read it (the general decoder says why)
	pqNoAmount             // an amount field that is blank
)

// maxTypedDay is 9999-12-31, in days since 1970-01-01.
const maxTypedDay = 2932896

// pqMode is how a page's values are read.
type pqMode int

const (
	pqGeneric pqMode = iota // as parquet.Value, written as text
	pqBytes                 // a string: its bytes are its text
	pqFixed                 // an integer amount of 10^-scale: DECIMAL or INT
	pqDouble                // a DOUBLE amount
	pqDays                  // a DATE
	pqStamp                 // a TIMESTAMP
)

// pqField is one field's column in the row group a worker reads: the
// window of rows read, and where its column chunk's pages are.
type pqField struct {
	f   int // the field: fDate, fHost, ...
	col int // its column, -1 when absent
	c   *pqColumn
	// textOnly: column 0 of a format with ignore_prefix, whose text is
	// always written (the footer test reads it).
	textOnly bool
	v        []int64 // per row of the window: the value the fast path reads
	st       []uint8 // per row of the window: flags
	// Integer amounts of 10^-scale with |x| < lim are x·mul in 10^-FixedScale.
	lim, mul int64
	nullV    int64 // what a null is
	nullSt   uint8
	dict     parquet.Dictionary // the dictionary tabV and tabSt hold, per index
	tabV     []int64
	tabSt    []uint8
	// The column chunk being read, and its page.
	pages   parquet.Pages
	pg      parquet.Page // nil before the first page
	mode    pqMode
	left    int    // rows of pg not read yet
	pos     int    // rows of pg read
	j       int    // values of pg read (a null has none)
	defs    []byte // pg's definition levels (none when the column is required)
	indexed bool   // pg holds dictionary indexes, in idx
	idx     []int32
	vals    pqVals
	vr      parquet.ValueReader // pqGeneric
}

// pqWorker reads row groups into a fast-path worker's sums.
type pqWorker struct {
	w      *worker
	d      *decoder
	fields []pqField
	byF    [nField]int   // field -> index in fields, -1
	absV   [nField]int64 // what an absent field reads as (its text is empty)
	absSt  [nField]uint8
	footer int // index in fields of column 0's field when the format has ignore_prefix, else -1
	buf    []parquet.Value
	tmp    []byte
	conv   *pqConverter // the text of rows the fast path leaves
}

func newPQWorker(fst *fast, d *decoder, cols []pqColumn, used []bool) *pqWorker {
	p := &pqWorker{w: newWorker(fst), d: d, footer: -1, buf: make([]parquet.Value, 1024)}
	p.conv = &pqConverter{cols: cols, used: used, dec: d.l.decimal, days: map[int64][]byte{},
		vals: make([][]parquet.Value, len(cols)), buf: make([]parquet.Value, 4096)}
	for f, c := range d.col {
		p.byF[f] = -1
		p.absV[f], p.absSt[f] = p.text(&pqField{f: f, col: -1}, nil)
		if c < 0 {
			continue
		}
		p.byF[f] = len(p.fields)
		fd := pqField{f: f, col: c, c: &cols[c]}
		if c == 0 && d.l.footer != "" {
			p.footer = len(p.fields)
			fd.textOnly = true
		}
		if s := fd.c.scale; fd.c.kind == pqInt || fd.c.kind == pqDecimal && s >= 0 && s <= money.FixedScale {
			// ParseFixedSep reads at most 12 integer digits.
			fd.lim, fd.mul = pow10i(12+s), pow10i(money.FixedScale-s)
		}
		p.fields = append(p.fields, fd)
	}
	for i := range p.fields {
		fd := &p.fields[i]
		fd.nullV, fd.nullSt = p.text(fd, nil)
	}
	return p
}

func pow10i(n int) int64 {
	x := int64(1)
	for ; n > 0; n-- {
		x *= 10
	}
	return x
}

// isAmount reports the fields read as amounts.
func isAmount(f int) bool {
	return f >= firstFigure && f <= lastFigure || f == fAmount
}

// modeOf says how fd's values of kind k are read.
func (fd *pqField) modeOf(k encoding.Kind) pqMode {
	c := fd.c
	switch {
	case c.kind == pqText && (k == encoding.ByteArray || k == encoding.FixedLenByteArray):
		return pqBytes
	case fd.textOnly:
		return pqGeneric
	case isAmount(fd.f) && fd.mul > 0 && (k == encoding.Int32 || k == encoding.Int64):
		return pqFixed
	case isAmount(fd.f) && c.kind == pqFloat && k == encoding.Double:
		return pqDouble
	case fd.f == fDate && c.kind == pqDate && k == encoding.Int32:
		return pqDays
	case fd.f == fDate && c.kind == pqTimestamp && k == encoding.Int64:
		return pqStamp
	}
	return pqGeneric
}

// open starts reading a column chunk.
func (fd *pqField) open(cc parquet.ColumnChunk) {
	fd.pages, fd.pg, fd.left, fd.dict = cc.Pages(), nil, 0, nil
}

// close stops reading it.
func (fd *pqField) close() {
	if fd.pg != nil {
		parquet.Release(fd.pg)
		fd.pg = nil
	}
	if fd.pages != nil {
		fd.pages.Close()
		fd.pages = nil
	}
}

// end checks that the column chunk holds no more values than its rows.
func (fd *pqField) end() error {
	for fd.left == 0 {
		pg, err := fd.pages.ReadPage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("column %q: %v", fd.c.name, err)
		}
		fd.left = int(pg.NumRows())
		parquet.Release(pg)
	}
	return fmt.Errorf("column %q: more values than the row group's rows", fd.c.name)
}

// fill reads the next m rows of fd's column into fd.v and fd.st.
func (p *pqWorker) fill(fd *pqField, m int) error {
	if cap(fd.v) < m {
		fd.v, fd.st = make([]int64, pqWindow), make([]uint8, pqWindow)
	}
	fd.v, fd.st = fd.v[:m], fd.st[:m]
	for k := 0; k < m; {
		if fd.left == 0 {
			if err := p.nextPage(fd); err != nil {
				return fmt.Errorf("column %q: %v", fd.c.name, err)
			}
			continue
		}
		take := min(m-k, fd.left)
		if err := p.read(fd, k, take); err != nil {
			return fmt.Errorf("column %q: %v", fd.c.name, err)
		}
		k += take
		fd.left -= take
	}
	return nil
}

// nextPage moves fd to its column chunk's next page.
func (p *pqWorker) nextPage(fd *pqField) error {
	if fd.pg != nil {
		parquet.Release(fd.pg)
		fd.pg = nil
	}
	pg, err := fd.pages.ReadPage()
	if err == io.EOF {
		return fmt.Errorf("fewer values than the row group's rows")
	}
	if err != nil {
		return err
	}
	fd.pg, fd.left, fd.pos, fd.j = pg, int(pg.NumRows()), 0, 0
	fd.defs, fd.indexed = pg.DefinitionLevels(), false
	data := pg.Data()
	dict := pg.Dictionary()
	if dict == nil {
		fd.mode = fd.modeOf(data.Kind())
		fd.vals = pqValsOf(data)
		fd.vals.mode = fd.mode
	} else {
		dv := dict.Page().Data()
		if fd.mode = fd.modeOf(dv.Kind()); fd.mode != pqGeneric {
			if fd.dict != dict {
				p.table(fd, dict, fd.mode, pqValsOf(dv))
			}
			fd.indexed, fd.idx = true, data.Int32()
		}
	}
	if fd.mode == pqGeneric {
		fd.vr = pg.Values()
	}
	return nil
}

// read reads the page's next take rows into fd from window row k on.
func (p *pqWorker) read(fd *pqField, k, take int) error {
	if fd.mode == pqGeneric {
		return p.generic(fd, k, take)
	}
	for i := k; i < k+take; i++ {
		pos := fd.pos
		fd.pos++
		if len(fd.defs) > 0 && fd.defs[pos] == 0 {
			fd.v[i], fd.st[i] = fd.nullV, fd.nullSt
			continue
		}
		j := fd.j
		fd.j++
		switch {
		case fd.indexed:
			if j >= len(fd.idx) || fd.idx[j] < 0 || int(fd.idx[j]) >= len(fd.tabV) {
				return fmt.Errorf("a dictionary index out of range")
			}
			fd.v[i], fd.st[i] = fd.tabV[fd.idx[j]], fd.tabSt[fd.idx[j]]
		case j >= fd.vals.n:
			return fmt.Errorf("fewer values than rows in a page")
		default:
			fd.v[i], fd.st[i] = p.typed(fd, &fd.vals, j)
		}
	}
	return nil
}

// table reads a dictionary's values once.
func (p *pqWorker) table(fd *pqField, dict parquet.Dictionary, m pqMode, vals pqVals) {
	vals.mode = m
	fd.dict = dict
	fd.tabV, fd.tabSt = fd.tabV[:0], fd.tabSt[:0]
	for j := 0; j < vals.n; j++ {
		v, st := p.typed(fd, &vals, j)
		fd.tabV, fd.tabSt = append(fd.tabV, v), append(fd.tabSt, st)
	}
}

// generic reads the page's next take values as parquet.Values, each
// written as text, into fd from window row k on.
func (p *pqWorker) generic(fd *pqField, k, take int) error {
	for got := 0; got < take; {
		n, err := fd.vr.ReadValues(p.buf[:min(len(p.buf), take-got)])
		for _, v := range p.buf[:n] {
			if v.IsNull() {
				fd.v[k+got], fd.st[k+got] = fd.nullV, fd.nullSt
			} else {
				fd.v[k+got], fd.st[k+got] = p.valueText(fd, v)
			}
			got++
		}
		if got == take {
			return nil
		}
		if err == io.EOF || err == nil && n == 0 {
			return fmt.Errorf("fewer values than rows in a page")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// valueText reads a value as its text (today's path).
func (p *pqWorker) valueText(fd *pqField, v parquet.Value) (int64, uint8) {
	p.tmp = appendValue(p.tmp[:0], fd.c, v, p.d.l.decimal, p.conv.days)
	return p.text(fd, p.tmp)
}

// pqVals are a page's (or a dictionary's) values, typed.
type pqVals struct {
	mode pqMode
	n    int
	i32  []int32
	i64  []int64
	f64  pqDoubles
	data []byte
	offs []uint32 // pqBytes of ByteArray: n+1 offsets into data
	size int      // pqBytes of FixedLenByteArray
}

func pqValsOf(v encoding.Values) pqVals {
	var out pqVals
	switch v.Kind() {
	case encoding.Int32:
		out.i32 = v.Int32()
		out.n = len(out.i32)
	case encoding.Int64:
		out.i64 = v.Int64()
		out.n = len(out.i64)
	case encoding.Double:
		out.f64 = doublesOf(v)
		out.n = len(out.f64)
	case encoding.ByteArray:
		out.data, out.offs = v.ByteArray()
		out.n = max(0, len(out.offs)-1)
	case encoding.FixedLenByteArray:
		out.data, out.size = v.FixedLenByteArray()
		if out.size > 0 {
			out.n = len(out.data) / out.size
		}
	}
	return out
}

// typed reads the j-th of vals.
func (p *pqWorker) typed(fd *pqField, vals *pqVals, j int) (int64, uint8) {
	switch vals.mode {
	case pqBytes:
		if vals.offs != nil {
			return p.text(fd, vals.data[vals.offs[j]:vals.offs[j+1]])
		}
		return p.text(fd, vals.data[j*vals.size:(j+1)*vals.size])
	case pqFixed:
		var x int64
		var v parquet.Value
		if vals.i32 != nil {
			x, v = int64(vals.i32[j]), parquet.Int32Value(vals.i32[j])
		} else {
			x, v = vals.i64[j], parquet.Int64Value(vals.i64[j])
		}
		if x > -fd.lim && x < fd.lim {
			return x * fd.mul, 0
		}
		return p.valueText(fd, v)
	case pqDouble:
		if v, ok := vals.f64.fixed(j); ok {
			return v, 0
		}
		return p.valueText(fd, vals.f64.value(j))
	case pqDays:
		if day := int64(vals.i32[j]); day >= 0 && day <= maxTypedDay {
			return day, 0
		}
		return p.valueText(fd, parquet.Int32Value(vals.i32[j]))
	case pqStamp:
		t := vals.i64[j]
		day := t / fd.c.unit
		if t%fd.c.unit < 0 {
			day--
		}
		if day >= 0 && day <= maxTypedDay {
			return day, 0
		}
		return p.valueText(fd, parquet.Int64Value(t))
	}
	panic("pqWorker.typed: a generic value")
}

// text reads a field's text as the fast path's worker reads it.
func (p *pqWorker) text(fd *pqField, b []byte) (int64, uint8) {
	var st uint8
	if len(b) == 0 {
		st |= pqEmpty
	}
	if len(bytes.TrimSpace(b)) == 0 {
		st |= pqBlank
	}
	if bytes.ContainsAny(b, "\n\r\"") {
		st |= pqRaw
	}
	if fd.col == 0 && p.d.l.footer != "" && strings.HasPrefix(strings.TrimSpace(string(b)), p.d.l.footer) {
		st |= pqFooter
	}
	w := p.w
	var v int64
	bad := false
	switch f := fd.f; {
	case f == fDate:
		day, ok := w.day(b)
		v, bad = int64(day), !ok
	case f == fHost:
		h, seen := w.hosts.get(b)
		if !seen {
			h = -1
			if host, reason := p.d.normHost(string(b)); reason == "" {
				h = int32(w.f.hostIdx[host])
			}
			w.remember(&w.hosts, b, h, h < 0)
		}
		v, bad = int64(h), h < 0 || h >= 1<<12
	case f == fProduct:
		x := w.product(b)
		v, bad = int64(x), x == noProduct
	case f == fCurrency:
		x := w.currency(b)
		v, bad = int64(x), x == badCode
	case f == fKind:
		x := w.kind(b)
		v, bad = int64(x), x == badKind
	case isAmount(f):
		x, empty, ok := w.amount(b)
		v, bad = x, !ok
		if empty {
			st |= pqNoAmount
		}
	}
	if bad {
		st |= pqBad
	}
	return v, st
}
