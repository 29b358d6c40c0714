package ingest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
)

// Parquet input (SPEC 11). A Parquet file is read one row group at a time,
// column by column, and each row is written out as the text a CSV report
// would hold — strings as they are, dates and timestamps as their (UTC)
// YYYY-MM-DD, integers and DECIMAL columns exactly from their unscaled
// integers, FLOAT/DOUBLE as the shortest decimal text that round-trips to
// the same binary value — into the very reader CSV files go through (the
// fast path included), so every format, check and count is the same.
// Memory is bounded by one row group. The sha256 of the input is that of
// the Parquet file's bytes.

// isParquet reports whether path names a Parquet file.
func isParquet(path string) bool {
	return strings.HasSuffix(strings.ToLower(path), ".parquet")
}

// pqKind is how a Parquet column's values are written as text.
type pqKind int

const (
	pqText pqKind = iota
	pqBool
	pqInt
	pqUint
	pqDecimal
	pqDate
	pqTimestamp // an INT64 count of unit since the epoch
	pqInt96     // a legacy INT96 timestamp
	pqFloat
)

type pqColumn struct {
	name  string
	kind  pqKind
	scale int   // pqDecimal
	unit  int64 // pqTimestamp: units per day
}

// pqColumns reads a flat schema's leaf columns.
func pqColumns(md *format.FileMetaData) ([]pqColumn, error) {
	if len(md.Schema) < 2 {
		return nil, fmt.Errorf("the Parquet file has no columns")
	}
	els := md.Schema[1:]
	cols := make([]pqColumn, 0, len(els))
	for i := range els {
		el := &els[i]
		if n, ok := el.NumChildren.Get(); ok && n > 0 {
			return nil, fmt.Errorf("column %q is nested (a group): only flat Parquet files are read", el.Name)
		}
		if rep, ok := el.RepetitionType.Get(); ok && rep == format.Repeated {
			return nil, fmt.Errorf("column %q is repeated: only flat Parquet files are read", el.Name)
		}
		c := pqColumn{name: el.Name}
		typ, _ := el.Type.Get()
		conv, hasConv := el.ConvertedType.Get()
		switch lt := el.LogicalType.Value.(type) {
		case *format.DecimalType:
			c.kind, c.scale = pqDecimal, int(lt.Scale)
		case *format.DateType:
			c.kind = pqDate
		case *format.TimestampType:
			c.kind = pqTimestamp
			c.unit = int64(24*time.Hour) / int64(lt.Unit.Value.Duration())
		case *format.IntType:
			c.kind = pqInt
			if !lt.IsSigned && lt.BitWidth == 64 {
				c.kind = pqUint
			}
		default:
			switch {
			case hasConv && conv == deprecated.Decimal:
				s, _ := el.Scale.Get()
				c.kind, c.scale = pqDecimal, int(s)
			case hasConv && conv == deprecated.Date:
				c.kind = pqDate
			case hasConv && conv == deprecated.TimestampMillis:
				c.kind, c.unit = pqTimestamp, int64(24*time.Hour/time.Millisecond)
			case hasConv && conv == deprecated.TimestampMicros:
				c.kind, c.unit = pqTimestamp, int64(24*time.Hour/time.Microsecond)
			case hasConv && conv == deprecated.Uint64:
				c.kind = pqUint
			default:
				switch typ {
				case format.Boolean:
					c.kind = pqBool
				case format.Int32, format.Int64:
					c.kind = pqInt
				case format.Int96:
					c.kind = pqInt96
				case format.Float, format.Double:
					c.kind = pqFloat
				case format.ByteArray, format.FixedLenByteArray:
					c.kind = pqText
				default:
					return nil, fmt.Errorf("column %q: Parquet type %v is not read", el.Name, typ)
				}
			}
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// readParquet is ReadFile for a Parquet file.
func readParquet(path string, opts Options, row func(*Row) error, bad func(BadRow)) (Input, error) {
	in := Input{Path: path}
	problem := func(line int, msg, hint string) error {
		return diag.Problem{Path: path, Line: line, Msg: msg, Hint: hint}
	}
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	a := opts.Agreement
	f, err := opts.Files.Open(path)
	if err != nil {
		return in, problem(0, "cannot open: "+ioMessage(err), "")
	}
	defer f.Close()
	// Provenance: the sha256 of the file's bytes, read once ahead.
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return in, problem(0, "cannot read: "+ioMessage(err), "")
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	at, ok := f.(io.ReaderAt)
	if !ok {
		return in, problem(0, "cannot read: not a file that allows random access", "")
	}
	pf, err := parquet.OpenFile(at, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return in, problem(0, "not a readable Parquet file: "+err.Error(), "")
	}
	cols, err := pqColumns(pf.Metadata())
	if err != nil {
		return in, problem(0, err.Error(), "")
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	l, err := pickParquetLayout(a, opts.Format, header)
	if err != nil {
		if p, ok := err.(diag.Problem); ok {
			p.Path = path
			return in, p
		}
		return in, problem(0, err.Error(), "")
	}
	in.Format = l.name

	// The text is CSV with ',' between fields; typed numbers carry the
	// format's decimal separator, a typed date column is YYYY-MM-DD.
	pl := *l
	pl.delim, pl.skip = ',', 0
	d, missing, dups, ignored := newDecoder(a, &pl, header)
	if c := d.col[fDate]; c >= 0 && cols[c].kind != pqText {
		pl.date = nil
	}
	if len(dups) > 0 {
		return in, problem(1, fmt.Sprintf("duplicate %s %s", plural(len(dups), "column"), quoteList(dups)), "")
	}
	if len(missing) > 0 {
		found := make([]string, len(header))
		for i, h := range header {
			found[i] = fmt.Sprintf("%q", h)
		}
		return in, problem(1,
			fmt.Sprintf("missing required %s %s", plural(len(missing), "column"), strings.Join(missing, ", ")),
			fmt.Sprintf("read as format %s, the Parquet columns are %s", l.name, strings.Join(found, ", ")))
	}
	if len(ignored) > 0 {
		warn(fmt.Sprintf("%s: ignoring %s %s", path, plural(len(ignored), "column"), strings.Join(ignored, ", ")))
	}
	used := make([]bool, len(cols))
	for _, c := range d.col {
		if c >= 0 {
			used[c] = true
		}
	}

	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := writeParquetText(pf, cols, used, pl.decimal, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	rd := &fileReader{path: path, d: d, row: row, bad: bad, in: &in}
	if fst := newFast(d, opts); fst != nil {
		err = fst.read(rd, pr, 1)
	} else {
		err = rd.slow(pr, 1)
	}
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if reading stopped early
	werr := <-done
	if err != nil {
		if werr != nil && werr != io.ErrClosedPipe {
			return in, problem(0, "cannot read Parquet: "+werr.Error(), "")
		}
		return in, err
	}
	if werr != nil {
		return in, problem(0, "cannot read Parquet: "+werr.Error(), "")
	}
	return in, nil
}

// pickParquetLayout is pickLayout for a header known as column names: the
// declared format all of whose mapped headers are present (most wins; a
// tie is an error), else the canonical columns.
func pickParquetLayout(a *agreement.Agreement, forced string, header []string) (*layout, error) {
	if forced != "" {
		return pickLayout(a, forced, ',', nil)
	}
	hdr := make(map[string]bool, len(header))
	for _, h := range header {
		hdr[key(h)] = true
	}
	names := make([]string, 0, len(a.Formats))
	for n := range a.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	var best []*layout
	for _, n := range names {
		f := a.Formats[n]
		if f.Name == "" {
			g := *f
			g.Name = n
			f = &g
		}
		l := compileFormat(a, f, ',')
		if !l.matches(hdr) {
			continue
		}
		switch {
		case len(best) == 0 || len(l.explicit) > len(best[0].explicit):
			best = []*layout{l}
		case len(l.explicit) == len(best[0].explicit):
			best = append(best, l)
		}
	}
	switch len(best) {
	case 0:
		return canonicalLayout(','), nil
	case 1:
		if best[0].compileEr != nil {
			return nil, best[0].compileEr
		}
		return best[0], nil
	}
	tied := make([]string, len(best))
	for i, l := range best {
		tied[i] = fmt.Sprintf("%q", l.name)
	}
	return nil, diag.Problem{
		Msg:    fmt.Sprintf("the columns match formats %s equally well", strings.Join(tied, ", ")),
		Remedy: "format", // one format named picks it
	}
}

// writeParquetText writes the rows of pf as CSV text to w, in order;
// columns not used are left empty. Row groups are converted on every
// core, each into one block of text, and written in order: memory holds a
// few row groups at most.
func writeParquetText(pf *parquet.File, cols []pqColumn, used []bool, dec byte, w io.Writer) error {
	rgs := pf.RowGroups()
	workers := max(1, min(runtime.GOMAXPROCS(0), len(rgs)))
	type block struct {
		text []byte
		err  error
	}
	out := make([]chan block, workers)
	stop := make(chan struct{})
	defer close(stop)
	for j := range out {
		out[j] = make(chan block, 1)
		go func(j int) {
			c := &pqConverter{cols: cols, used: used, dec: dec, days: map[int64][]byte{},
				vals: make([][]parquet.Value, len(cols)), buf: make([]parquet.Value, 4096)}
			for i := j; i < len(rgs); i += workers {
				text, err := c.rowGroup(rgs[i])
				select {
				case out[j] <- block{text, err}:
				case <-stop:
					return
				}
				if err != nil {
					return
				}
			}
		}(j)
	}
	for i := range rgs {
		b := <-out[i%workers]
		if b.err != nil {
			return b.err
		}
		if _, err := w.Write(b.text); err != nil {
			return err
		}
	}
	return nil
}

// pqConverter turns row groups into text, one goroutine each.
type pqConverter struct {
	cols []pqColumn
	used []bool
	dec  byte
	days map[int64][]byte
	vals [][]parquet.Value
	buf  []parquet.Value
	tmp  []byte
}

// rowGroup returns the text of one row group's rows.
func (c *pqConverter) rowGroup(rg parquet.RowGroup) ([]byte, error) {
	n := int(rg.NumRows())
	width := 0
	for i, cc := range rg.ColumnChunks() {
		c.vals[i] = c.vals[i][:0]
		if !c.used[i] {
			continue
		}
		var err error
		if c.vals[i], err = readColumn(cc, c.vals[i], c.buf); err != nil {
			return nil, fmt.Errorf("column %q: %v", c.cols[i].name, err)
		}
		if len(c.vals[i]) != n {
			return nil, fmt.Errorf("column %q: %d values in a row group of %d rows", c.cols[i].name, len(c.vals[i]), n)
		}
		width += 12
	}
	text := make([]byte, 0, n*(width+len(c.cols)))
	for r := 0; r < n; r++ {
		for i := range c.cols {
			if i > 0 {
				text = append(text, ',')
			}
			if !c.used[i] {
				continue
			}
			v := c.vals[i][r]
			if v.IsNull() {
				continue
			}
			c.tmp = appendValue(c.tmp[:0], &c.cols[i], v, c.dec, c.days)
			text = appendField(text, c.tmp)
		}
		text = append(text, '\n')
	}
	return text, nil
}

// readColumn appends every value of a column chunk to vals.
func readColumn(cc parquet.ColumnChunk, vals, buf []parquet.Value) ([]parquet.Value, error) {
	pages := cc.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return vals, nil
		}
		if err != nil {
			return vals, err
		}
		vr := p.Values()
		for {
			k, err := vr.ReadValues(buf)
			// Byte arrays point into the page, which stays ours (the
			// pages are never released to parquet-go's pool).
			vals = append(vals, buf[:k]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				return vals, err
			}
		}
	}
}

// appendField appends a CSV field, quoted when it must be.
func appendField(b, f []byte) []byte {
	quote := false
	for _, c := range f {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(b, f...)
	}
	b = append(b, '"')
	for _, c := range f {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// appendValue appends the text of one non-null value.
func appendValue(b []byte, c *pqColumn, v parquet.Value, dec byte, days map[int64][]byte) []byte {
	switch c.kind {
	case pqText:
		return append(b, v.ByteArray()...)
	case pqBool:
		return strconv.AppendBool(b, v.Boolean())
	case pqInt:
		if v.Kind() == parquet.Int32 {
			return strconv.AppendInt(b, int64(v.Int32()), 10)
		}
		return strconv.AppendInt(b, v.Int64(), 10)
	case pqUint:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case pqDecimal:
		var digits []byte
		neg := false
		switch v.Kind() {
		case parquet.Int32:
			x := int64(v.Int32())
			neg = x < 0
			digits = strconv.AppendUint(nil, absInt(x), 10)
		case parquet.Int64:
			x := v.Int64()
			neg = x < 0
			digits = strconv.AppendUint(nil, absInt(x), 10)
		default: // big-endian two's complement
			raw := v.ByteArray()
			z := new(big.Int).SetBytes(raw)
			if len(raw) > 0 && raw[0]&0x80 != 0 {
				z.Sub(z, new(big.Int).Lsh(big.NewInt(1), uint(8*len(raw))))
			}
			neg = z.Sign() < 0
			digits = z.Abs(z).Append(nil, 10)
		}
		return appendScaled(b, neg, digits, c.scale, dec)
	case pqDate:
		return appendDay(b, int64(v.Int32()), days)
	case pqTimestamp:
		t := v.Int64()
		day := t / c.unit
		if t%c.unit < 0 {
			day--
		}
		return appendDay(b, day, days)
	case pqInt96:
		raw := v.ByteArray()
		if len(raw) != 12 {
			ts := v.Int96()
			raw = make([]byte, 12)
			for i, w := range ts {
				binary.LittleEndian.PutUint32(raw[4*i:], w)
			}
		}
		julian := int64(binary.LittleEndian.Uint32(raw[8:]))
		return appendDay(b, julian-2440588, days)
	case pqFloat:
		s := appendShortest(nil, v)
		if dec == ',' {
			for i, ch := range s {
				if ch == '.' {
					s[i] = ','
				}
			}
		}
		return append(b, s...)
	}
	return b
}

func absInt(x int64) uint64 {
	if x < 0 {
		return uint64(-(x + 1)) + 1
	}
	return uint64(x)
}

// appendScaled writes digits × 10^-scale with dec as the decimal separator.
func appendScaled(b []byte, neg bool, digits []byte, scale int, dec byte) []byte {
	if neg {
		b = append(b, '-')
	}
	if scale <= 0 {
		b = append(b, digits...)
		for i := 0; i < -scale; i++ {
			b = append(b, '0')
		}
		return b
	}
	for len(digits) <= scale {
		digits = append([]byte{'0'}, digits...)
	}
	k := len(digits) - scale
	b = append(b, digits[:k]...)
	b = append(b, dec)
	return append(b, digits[k:]...)
}

// appendDay writes a day number (days since 1970-01-01) as YYYY-MM-DD.
func appendDay(b []byte, day int64, days map[int64][]byte) []byte {
	s, ok := days[day]
	if !ok {
		s = time.Unix(day*86400, 0).UTC().AppendFormat(nil, "2006-01-02")
		if len(days) < 1<<16 {
			days[day] = s
		}
	}
	return append(b, s...)
}
