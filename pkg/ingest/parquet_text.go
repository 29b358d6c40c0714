package ingest

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
)

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

// read reads the used columns of a row group into c.vals and returns its
// rows.
func (c *pqConverter) read(rg parquet.RowGroup) (int, error) {
	n := int(rg.NumRows())
	for i, cc := range rg.ColumnChunks() {
		c.vals[i] = c.vals[i][:0]
		if !c.used[i] {
			continue
		}
		var err error
		if c.vals[i], err = readColumn(cc, c.vals[i], c.buf); err != nil {
			return n, fmt.Errorf("column %q: %v", c.cols[i].name, err)
		}
		if len(c.vals[i]) != n {
			return n, fmt.Errorf("column %q: %d values in a row group of %d rows", c.cols[i].name, len(c.vals[i]), n)
		}
	}
	return n, nil
}

// rowGroup returns the text of one row group's rows.
func (c *pqConverter) rowGroup(rg parquet.RowGroup) ([]byte, error) {
	n, err := c.read(rg)
	if err != nil {
		return nil, err
	}
	width := 0
	for i := range c.cols {
		if c.used[i] {
			width += 12
		}
	}
	text := make([]byte, 0, n*(width+len(c.cols)))
	for r := 0; r < n; r++ {
		text = c.appendRow(text, r)
	}
	return text, nil
}

// appendRow appends row r of c.vals as a CSV line; columns not used are
// empty.
func (c *pqConverter) appendRow(text []byte, r int) []byte {
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
	return append(text, '\n')
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
		if v.Kind() == parquet.Int32 {
			return strconv.AppendUint(b, uint64(uint32(v.Int32())), 10)
		}
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
