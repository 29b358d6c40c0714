package ingest

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The typed Parquet path (parquet_typed.go) against today's text path:
// generated Parquet files in every layout of fuzzAgreement (canonical, a
// decimal-comma format with renames and negation, a ledger with kinds, a
// format with a footer), with every column type the reader takes, nulls,
// dictionary and plain encodings, small pages and several row groups, are
// read three ways — typed, as CSV text through the fast path (as before),
// and row by row — and must agree on every count, bad row (line, column,
// reason) and exact sum per key.

// pqGenLayouts are the layouts files are generated in: each field's column
// name, the required ones first.
var pqGenLayouts = []struct {
	format string
	cols   []struct{ name, role string }
}{
	{Canonical, pqCols("date:date host:host product:product gross:amount currency:currency refunds:amount taxes:amount fees:amount credits:amount units:amount region:text period:period")},
	{"eu", pqCols("Datum:date-eu Produkt:product Umsatz:amount-eu Erstattung:amount-eu Waehrung:currency")},
	{"ledger", pqCols("invoice_date:date product_id:product type:kind amount:amount currency:currency qty:amount")},
	{"pipes", pqCols("When:date-us Item:product Amount:amount Cur:currency Qty:amount")},
}

func pqCols(s string) []struct{ name, role string } {
	var out []struct{ name, role string }
	for _, f := range strings.Fields(s) {
		n, r, _ := strings.Cut(f, ":")
		out = append(out, struct{ name, role string }{n, r})
	}
	return out
}

// pqGenCol is a generated column: its node and how a value is made.
type pqGenCol struct {
	node  parquet.Node
	nulls int // one value in nulls is null (0: none)
	gen   func(rng *rand.Rand) parquet.Value
}

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

func strVal(s string) parquet.Value { return parquet.ByteArrayValue([]byte(s)) }

// pqGenColumn draws a column for a role.
func pqGenColumn(t *rapid.T, role string) pqGenCol {
	day0 := int64(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	rare := func(rng *rand.Rand) bool { return rng.IntN(40) == 0 }
	texts := func(common []string, odd ...string) func(rng *rand.Rand) parquet.Value {
		return func(rng *rand.Rand) parquet.Value {
			if len(odd) > 0 && rare(rng) {
				return strVal(pick(rng, odd...))
			}
			return strVal(pick(rng, common...))
		}
	}
	var c pqGenCol

	switch role {
	case "date", "date-eu", "date-us":
		layout := map[string]string{"date": "2006-01-02", "date-eu": "02.01.2006", "date-us": "Jan 2, 2006"}[role]
		switch kind := rapid.SampledFrom([]string{"date", "ms", "us", "ns", "text"}).Draw(t, role+" type"); kind {
		case "date":
			c.node = parquet.Date()
			c.gen = func(rng *rand.Rand) parquet.Value {
				if rare(rng) {
					return parquet.Int32Value(int32(pick(rng, -1, -400000, 3000000)))
				}
				return parquet.Int32Value(int32(day0 + rng.Int64N(200)))
			}
		case "ms", "us", "ns":
			unit := map[string]parquet.TimeUnit{"ms": parquet.Millisecond, "us": parquet.Microsecond, "ns": parquet.Nanosecond}[kind]
			per := map[string]int64{"ms": 1e3, "us": 1e6, "ns": 1e9}[kind]
			c.node = parquet.Timestamp(unit)
			c.gen = func(rng *rand.Rand) parquet.Value {
				s := (day0+rng.Int64N(200))*86400 + rng.Int64N(86400)
				if rare(rng) {
					s = -rng.Int64N(86400 * 3)
				}
				return parquet.Int64Value(s*per + rng.Int64N(per))
			}
		default:
			c.node = parquet.String()
			c.gen = func(rng *rand.Rand) parquet.Value {
				d := time.Unix((day0+rng.Int64N(200))*86400, 0).UTC()
				if rare(rng) {
					return strVal(pick(rng, "", " ", "31.02.2025", "2025-02-03T23:00:00-05:00", "x"))
				}
				return strVal(d.Format(layout))
			}
		}
	case "host":
		c.node = parquet.String()
		c.gen = texts([]string{"aws", "AWS", "Amazon Bedrock", " azure "}, "gcp", "", " ")
	case "product":
		c.node = parquet.String()
		c.gen = texts([]string{"llama-3-8b", "Llama-4-Scout", " p ", "P-1", "a,b"}, "x\"y", "line\nbreak", "cr\r", "", " ", "Total 3")
	case "currency":
		c.node = parquet.String()
		c.gen = texts([]string{"USD", "usd", "EUR", ""}, "XX", "gbp", " JPY")
	case "kind":
		c.node = parquet.String()
		c.gen = texts([]string{"REV", "REFUND", "FEE", "TAX", "UNITS", "rev"}, "bogus", "")
	case "period":
		c.node = parquet.String()
		c.nulls = 1 // mostly null
		c.gen = texts([]string{""}, "2025-Q1", "Q2 2025")
	case "text":
		c.node = parquet.String()
		c.gen = texts([]string{"eu", "us", ""}, "Total")
	default: // amounts
		c = pqGenAmount(t, role)
	}
	if role != "period" && rapid.Bool().Draw(t, role+" optional") {
		c.nulls = rapid.IntRange(2, 30).Draw(t, role+" nulls")
	}
	if c.nulls > 0 {
		c.node = parquet.Optional(c.node)
	}
	switch rapid.IntRange(0, 2).Draw(t, role+" encoding") {
	case 1:
		c.node = parquet.Encoded(c.node, &parquet.RLEDictionary)
	case 2:
		c.node = parquet.Encoded(c.node, &parquet.Plain)
	}
	return c
}

// pqGenAmount draws an amount column: DECIMAL (int32, int64, fixed
// length), DOUBLE, INT32, INT64 or text.
func pqGenAmount(t *rapid.T, role string) pqGenCol {
	var c pqGenCol
	kind := rapid.SampledFrom([]string{"dec32", "dec64", "decflba", "double", "int32", "int64", "text"}).Draw(t, role+" type")
	scale := rapid.SampledFrom([]int{0, 2, 4, 6, 7, 9}).Draw(t, role+" scale")
	mag := func(rng *rand.Rand, limit int64) int64 {
		if rng.IntN(30) == 0 {
			x := pick(rng, limit-1, 1-limit, 0, 999_999_999_999_999_999%limit)
			if e := rng.IntN(19); rng.IntN(2) == 0 && pow10i(e) <= limit/10 {
				x = pow10i(e) - int64(rng.IntN(2)) // the edges of ParseFixed's 12 digits
			}
			return x
		}
		x := rng.Int64N(min(limit, 10_000_000_000))
		if rng.IntN(4) == 0 {
			x = -x
		}
		return x
	}
	switch kind {
	case "dec32":
		c.node = parquet.Decimal(min(scale, 9), 9, parquet.Int32Type)
		c.gen = func(rng *rand.Rand) parquet.Value { return parquet.Int32Value(int32(mag(rng, 1<<31-1))) }
	case "dec64":
		c.node = parquet.Decimal(scale, 18, parquet.Int64Type)
		c.gen = func(rng *rand.Rand) parquet.Value { return parquet.Int64Value(mag(rng, math.MaxInt64)) }
	case "decflba":
		c.node = parquet.Decimal(scale, 20, parquet.FixedLenByteArrayType(10))
		c.gen = func(rng *rand.Rand) parquet.Value {
			z := big.NewInt(mag(rng, math.MaxInt64))
			if rng.IntN(10) == 0 {
				z.Mul(z, big.NewInt(1000))
			}
			b := make([]byte, 10)
			if z.Sign() < 0 {
				z.Add(z, new(big.Int).Lsh(big.NewInt(1), 80))
			}
			z.FillBytes(b)
			return parquet.FixedLenByteArrayValue(b)
		}
	case "double":
		c.node = parquet.Leaf(parquet.DoubleType)
		c.gen = func(rng *rand.Rand) parquet.Value {
			switch rng.IntN(12) {
			case 0:
				return parquet.DoubleValue(math.Float64frombits(rng.Uint64()))
			case 1:
				return parquet.DoubleValue(pick(rng, 0, math.Copysign(0, -1), 1e-7, 4e9, 3999999999.999999, 1e21, math.NaN(), math.Inf(-1), 0.1+0.2))
			case 2:
				return parquet.DoubleValue(float64(rng.Int64N(1e15)) / 1e6)
			}
			return parquet.DoubleValue(float64(rng.Int64N(2e9)-1e9) / 100)
		}
	case "int32":
		c.node = parquet.Int(32)
		c.gen = func(rng *rand.Rand) parquet.Value { return parquet.Int32Value(int32(mag(rng, 1<<31-1))) }
	case "int64":
		c.node = parquet.Int(64)
		c.gen = func(rng *rand.Rand) parquet.Value { return parquet.Int64Value(mag(rng, math.MaxInt64)) }
	default:
		c.node = parquet.String()
		comma := role == "amount-eu"
		c.gen = func(rng *rand.Rand) parquet.Value {
			s := decimal.New(rng.Int64N(2_000_000)-1_000_000, -2).String()
			if rng.IntN(20) == 0 {
				s = pick(rng, "", " ", " 7 ", "1,234.50", "1.234,50", "abc", "(5.00)", "0.1234567")
			}
			if comma {
				s = strings.NewReplacer(".", ",", ",", ".").Replace(s)
			}
			return strVal(s)
		}
	}
	return c
}

// pqGenFile writes a generated Parquet file and returns its path.
func pqGenFile(t *rapid.T, dir string) string {
	l := pqGenLayouts[rapid.IntRange(0, len(pqGenLayouts)-1).Draw(t, "layout")]
	required := map[string]int{Canonical: 4, "eu": 3, "ledger": 4, "pipes": 3}[l.format]
	group := parquet.Group{}
	cols := map[string]pqGenCol{}
	for i, c := range l.cols {
		if i >= required && !rapid.Bool().Draw(t, "has "+c.name) {
			continue
		}
		g := pqGenColumn(t, c.role)
		group[c.name] = g.node
		cols[c.name] = g
	}
	schema := parquet.NewSchema("row", group)
	var buf bytes.Buffer
	opts := []parquet.WriterOption{schema,
		parquet.MaxRowsPerRowGroup(int64(rapid.IntRange(1, 120).Draw(t, "rows per group"))),
		parquet.PageBufferSize(rapid.SampledFrom([]int{64, 512, 1 << 20}).Draw(t, "page size")),
		parquet.DataPageVersion(rapid.IntRange(1, 2).Draw(t, "page version")),
	}
	w := parquet.NewWriter(&buf, opts...)
	rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 18))
	n := rapid.IntRange(0, 400).Draw(t, "rows")
	leaves := schema.Fields() // in column order
	for r := 0; r < n; r++ {
		row := make(parquet.Row, len(leaves))
		for i, f := range leaves {
			g := cols[f.Name()]
			switch {
			case g.nulls > 0 && rng.IntN(g.nulls) == 0:
				row[i] = parquet.NullValue().Level(0, 0, i)
			case g.nulls > 0:
				row[i] = g.gen(rng).Level(0, 1, i)
			default:
				row[i] = g.gen(rng).Level(0, 0, i)
			}
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("gen-%d.parquet", rng.Uint64()))
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pqTally is what one read of a file saw: sums per key, from groups and
// rows alike.
type pqTally struct {
	rows int
	err  string
	bad  []string
	sums map[string][]decimal.Decimal // key -> rows, gross, refunds, taxes, fees, credits, units
}

func (p *pqTally) add(key string, rows int, figs ...decimal.Decimal) {
	s := p.sums[key]
	if s == nil {
		s = make([]decimal.Decimal, 7)
		p.sums[key] = s
	}
	s[0] = s[0].Add(decimal.NewFromInt(int64(rows)))
	for i, v := range figs {
		s[i+1] = s[i+1].Add(v)
	}
}

func (p *pqTally) String() string {
	var keys []string
	for k, s := range p.sums {
		keys = append(keys, fmt.Sprintf("%s: %v", k, s))
	}
	slices.Sort(keys)
	return fmt.Sprintf("rows %d, err %q\nbad:\n%s\nsums:\n%s", p.rows, p.err, strings.Join(p.bad, "\n"), strings.Join(keys, "\n"))
}

// pqRead reads path typed, as text through the fast path, or row by row.
func pqRead(path, how string) *pqTally {
	a, err := fuzzAg()
	if err != nil {
		panic(err)
	}
	p := &pqTally{sums: map[string][]decimal.Decimal{}}
	opts := Options{Agreement: a}
	if how != "row by row" {
		opts.Aggregate = &Aggregator{
			Classify: func(*Key) Verdict { return Keep },
			Group: func(g *Group) {
				k := fmt.Sprintf("%s|%s|%s|%s|%v", g.Host.ID, g.Product, g.Currency, g.Period, g.Ignored)
				if g.Ignored {
					k = fmt.Sprintf("%s|ignored|%s", g.Host.ID, g.Period)
				}
				p.add(k, g.Rows, g.Gross(), g.Refunds(), g.Taxes(), g.Fees(), g.Credits(), g.Units())
			},
			Outside: func(k *Key, rows int) { panic("every key is kept") },
		}
	}
	parquetAsText = how == "text"
	defer func() { parquetAsText = false }()
	in, err := ReadFile(path, opts, func(r *Row) error {
		k := fmt.Sprintf("%s|%s|%s|%s|%v", r.Host.ID, r.Product, r.Currency, r.Period, r.Ignored)
		if r.Ignored {
			k = fmt.Sprintf("%s|ignored|%s", r.Host.ID, r.Period)
		}
		p.add(k, 1, r.Gross, r.Refunds, r.Taxes, r.Fees, r.Credits, r.Units)
		return nil
	}, func(b BadRow) {
		p.bad = append(p.bad, fmt.Sprintf("%s:%d: %s: %s %q", filepath.Base(b.Path), b.Line, b.Column, b.Reason, b.Fields))
	})
	p.rows = in.Rows
	if err != nil {
		p.err = err.Error()
	}
	return p
}

// TestParquetTypedEqualsText is the property: the typed path reads every
// generated file exactly as today's text path and the general decoder do.
func TestParquetTypedEqualsText(t *testing.T) {
	dir := t.TempDir()
	rapid.Check(t, func(t *rapid.T) {
		path := pqGenFile(t, dir)
		defer os.Remove(path)
		pqWindow = rapid.SampledFrom([]int{1, 7, 64, 4096}).Draw(t, "window")
		defer func() { pqWindow = 4096 }()
		typed, text, slow := pqRead(path, "typed"), pqRead(path, "text"), pqRead(path, "row by row")
		if typed.String() != text.String() || typed.String() != slow.String() {
			t.Fatalf("typed path:\n%s\n\ntext path:\n%s\n\nrow by row:\n%s", typed, text, slow)
		}
	})
}

// TestParquetTypedDictionary: a file whose strings are all
// dictionary-encoded and whose amounts are DECIMAL, DOUBLE and INT64, as
// DuckDB writes them, sums exactly with no row left to the general
// decoder (the row callback is never called).
func TestParquetTypedDictionary(t *testing.T) {
	type row struct {
		Date     int32   `parquet:"date,date"`
		Host     string  `parquet:"host,dict"`
		Product  string  `parquet:"product,dict"`
		Currency string  `parquet:"currency,dict,optional"`
		Gross    int64   `parquet:"gross,decimal(2:18)"`
		Refunds  float64 `parquet:"refunds"`
		Units    int64   `parquet:"units"`
	}
	day := int32(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	var rows []row
	var wantGross, wantRefunds decimal.Decimal
	for i := 0; i < 3000; i++ {
		wantGross = wantGross.Add(decimal.New(int64(i)*101, -2))
		wantRefunds = wantRefunds.Add(decimal.New(int64(i%7), -2))
		rows = append(rows, row{day + int32(i%60), []string{"aws", "AWS"}[i%2], []string{"llama-3-8b", "Llama-4-Scout"}[i%2], []string{"USD", ""}[i%2], int64(i) * 101, float64(i%7) / 100, int64(i)})
	}
	pq := filepath.Join(t.TempDir(), "d.parquet")
	writeParquet(t, pq, rows, 1000)
	a, _ := fuzzAg()
	var gross, refunds, units decimal.Decimal
	n := 0
	_, err := ReadFile(pq, Options{Agreement: a, Aggregate: &Aggregator{
		Classify: func(*Key) Verdict { return Keep },
		Group: func(g *Group) {
			n += g.Rows
			gross, refunds, units = gross.Add(g.Gross()), refunds.Add(g.Refunds()), units.Add(g.Units())
		},
	}}, func(r *Row) error { t.Errorf("row %d left to the general decoder", r.Line); return nil }, func(b BadRow) { t.Errorf("bad row %d: %s", b.Line, b.Reason) })
	if err != nil {
		t.Fatal(err)
	}
	if n != 3000 || !gross.Equal(wantGross) || units.String() != "4498500" || !refunds.Equal(wantRefunds) {
		t.Errorf("%d rows, gross %s refunds %s units %s: want 3000, %s, %s, 4498500", n, gross, refunds, units, wantGross, wantRefunds)
	}
}
