// Package fx converts revenue into the settlement currency with a table of
// dated rates (SPEC 5.1): daily, period-end or period-average.
package fx

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/csvrecords"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/limits"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// Methods of conversion.
const (
	Daily         = "daily"
	PeriodEnd     = "period-end"
	PeriodAverage = "period-average"
)

type dated struct {
	day  time.Time
	rate decimal.Decimal
}

// Table holds rates by currency, sorted by date. A rate converts one unit
// of the currency into the settlement currency.
type Table struct {
	method string
	path   string
	sha256 string
	byCur  map[string][]dated
	mu     sync.Mutex
	cache  map[rateKey]rateVal // Rate's answers: a big file asks the same question often
	first  map[string]int      // currency -> line of its first rate, for messages
	curCol string              // the currency column's name as written
}

type rateKey struct {
	cur string
	day int64 // days since 1970 (daily), else 0
	p   period.Period
}

type rateVal struct {
	rate decimal.Decimal
	err  error
}

// Load reads a rates file with the header date,currency,rate.
func Load(path, method string) (*Table, error) { return LoadIn("", path, method) }

// LoadIn is Load with a relative path taken from the folder dir instead
// of the process's working folder; messages name path as given.
func LoadIn(dir workdir.Dir, path, method string) (*Table, error) {
	return LoadFrom(workdir.Source{Dir: dir}, path, method)
}

// LoadFrom is Load reading path from src.
func LoadFrom(src workdir.Source, path, method string) (*Table, error) {
	f, err := src.Open(path)
	if err != nil {
		return nil, diag.Problem{Path: path, Msg: fmt.Sprintf("cannot read fx rates: %v", errors.Unwrap(err))}
	}
	defer f.Close()
	// The file's sha256 is part of a run's provenance (SPEC 8): hash the
	// bytes as they are read.
	// Capped: /dev/zero or a one-line 300 MB file is an error after a
	// bounded read.
	h := sha256.New()
	tee := io.TeeReader(&limits.Reader{R: f, Max: limits.Rates, MaxLine: limits.Line, What: "an fx rates file"}, h)
	t, err := Read(path, tee, method)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return nil, diag.Problem{Path: path, Msg: fmt.Sprintf("cannot read fx rates: %v", err)}
	}
	t.path, t.sha256 = path, hex.EncodeToString(h.Sum(nil))
	return t, nil
}

// Path is the file Load read the table from ("" for Read).
func (t *Table) Path() string { return t.path }

// SHA256 is the hex sha256 of the file Load read ("" for Read).
func (t *Table) SHA256() string { return t.sha256 }

// readHeader reads the header: each column's index and its name as the
// file writes it (for messages), by lower-cased name.
func readHeader(path string, cr *csv.Reader) (map[string]int, map[string]string, error) {
	header, err := cr.Read()
	if errors.Is(err, limits.ErrTooLarge) {
		return nil, nil, diag.Problem{Path: path, Msg: "cannot read fx rates: " + err.Error()}
	}
	if err != nil {
		return nil, nil, diag.Problem{Path: path, Line: 1, Msg: "fx rates: missing header date,currency,rate"}
	}
	col := map[string]int{}
	name := map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		k := strings.ToLower(h)
		if _, dup := col[k]; !dup {
			col[k], name[k] = i, h
		}
	}
	for _, need := range []string{"date", "currency", "rate"} {
		if _, ok := col[need]; !ok {
			return nil, nil, diag.Problem{Path: path, Line: 1, Msg: fmt.Sprintf("fx rates: missing column %q (want date,currency,rate)", need)}
		}
	}
	return col, name, nil
}

// Read reads rates from r; path is used in messages.
func Read(path string, r io.Reader, method string) (*Table, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(2); bytes.Equal(bom, []byte{0xFF, 0xFE}) || bytes.Equal(bom, []byte{0xFE, 0xFF}) {
		return nil, diag.Problem{Path: path, Msg: "fx rates: file is UTF-16; save it as UTF-8"}
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	col, name, err := readHeader(path, cr)
	if err != nil {
		return nil, err
	}
	t := &Table{method: method, byCur: map[string][]dated{}, cache: map[rateKey]rateVal{}, first: map[string]int{}, curCol: name["currency"]}
	var probs diag.List
	seen := map[string]int{}
	err = csvrecords.Each(cr, func(rec []string, line int) error {
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		day, err := period.ParseDate(get("date"))
		if err != nil {
			probs.Add(diag.Problem{Path: path, Line: line, Column: name["date"], Msg: err.Error()})
			return nil
		}
		cur := strings.ToUpper(get("currency"))
		if !money.ValidCurrency(cur) {
			probs.Add(diag.Problem{Path: path, Line: line, Column: name["currency"], Msg: fmt.Sprintf("%q is not an ISO 4217 currency code", get("currency"))})
			return nil
		}
		rate, err := money.ParseAmount(get("rate"), '.')
		if err != nil || rate.Sign() <= 0 {
			probs.Add(diag.Problem{Path: path, Line: line, Column: name["rate"], Msg: fmt.Sprintf("invalid rate %q: want a positive number", get("rate"))})
			return nil
		}
		key := cur + " " + period.FormatDate(day)
		if first, dup := seen[key]; dup {
			probs.Add(diag.Problem{Path: path, Line: line, Msg: fmt.Sprintf("duplicate rate for %s on %s (first at line %d)", cur, period.FormatDate(day), first)})
			return nil
		}
		seen[key] = line
		if _, ok := t.first[cur]; !ok {
			t.first[cur] = line
		}
		t.byCur[cur] = append(t.byCur[cur], dated{day, rate})
		return nil
	}, func(line int, reason string) error {
		// A quoting error spoils one record; the reader goes on.
		probs.Add(diag.Problem{Path: path, Line: line, Msg: reason})
		return nil
	})
	if errors.Is(err, limits.ErrTooLarge) {
		// The record before it was cut at the cap: only this problem is true.
		return nil, diag.Problem{Path: path, Msg: "cannot read fx rates: " + err.Error()}
	}
	if err != nil {
		probs.Add(diag.Problem{Path: path, Msg: "cannot read fx rates: " + err.Error()})
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	for _, ds := range t.byCur {
		sort.Slice(ds, func(i, j int) bool { return ds[i].day.Before(ds[j].day) })
	}
	return t, nil
}

// latest returns the last rate dated on or before day.
func (t *Table) latest(cur string, day time.Time) (decimal.Decimal, bool) {
	ds := t.byCur[cur]
	i := sort.Search(len(ds), func(i int) bool { return ds[i].day.After(day) })
	if i == 0 {
		return decimal.Zero, false
	}
	return ds[i-1].rate, true
}

// Method returns the table's method of conversion.
func (t *Table) Method() string { return t.method }

// Rate returns the rate converting cur for a row of day in settlement period
// p, by the table's method (SPEC 5.1):
//
//   - daily: the rate dated day, else the latest earlier one;
//   - period-end: the latest rate on or before p's last day;
//   - period-average: the mean of the rates dated inside p, carried to
//     money.DivPlaces places half-even.
//
// No usable rate is an error naming the currency and the date (or dates)
// looked at. Rate is safe for concurrent use.
func (t *Table) Rate(cur string, day time.Time, p period.Period) (decimal.Decimal, error) {
	k := rateKey{cur: cur, p: p}
	if t.method != PeriodEnd && t.method != PeriodAverage {
		k = rateKey{cur: cur, day: day.Unix() / 86400}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if v, ok := t.cache[k]; ok {
		return v.rate, v.err
	}
	r, err := t.rate(cur, day, p)
	if t.cache != nil {
		t.cache[k] = rateVal{r, err}
	}
	return r, err
}

func (t *Table) rate(cur string, day time.Time, p period.Period) (decimal.Decimal, error) {
	switch t.method {
	case PeriodEnd:
		if r, ok := t.latest(cur, p.End()); ok {
			return r, nil
		}
		return decimal.Zero, fmt.Errorf("no %s rate on or before %s (period-end of %s)", cur, period.FormatDate(p.End()), p)
	case PeriodAverage:
		sum, n := decimal.Zero, 0
		for _, d := range t.byCur[cur] {
			if !d.day.Before(p.Start()) && !d.day.After(p.End()) {
				sum = sum.Add(d.rate)
				n++
			}
		}
		if n == 0 {
			return decimal.Zero, fmt.Errorf("no %s rate dated %s..%s (period-average of %s)", cur, period.FormatDate(p.Start()), period.FormatDate(p.End()), p)
		}
		return money.Div(sum, decimal.NewFromInt(int64(n))), nil
	default:
		if r, ok := t.latest(cur, day); ok {
			return r, nil
		}
		return decimal.Zero, fmt.Errorf("no %s rate on or before %s", cur, period.FormatDate(day))
	}
}
