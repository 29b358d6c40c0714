package ingest

import (
	"github.com/llamashare/llamashare/pkg/money"
)

// maxCodes bounds the currency codes of the workers together (a cell has
// 8 bits for one, two of them taken by local and ignored): a worker keeps
// its share, and rows in more currencies go to the general decoder.
const maxCodes = 0xfe

// What a worker's caches hold for a raw text the normaliser refused.
const (
	noProduct    = -1 // a product field the normaliser refuses
	emptyProduct = -2 // a blank product field: good only on an ignored ledger row
	badCode      = -3 // a currency field the normaliser refuses
	badKind      = -3 // a kind field the normaliser refuses
)

// row sums a row whose fields are in w.starts and w.ends; false sends it to
// the general decoder, which says what is wrong with it (or reads what the
// fast path does not: a period label, an unusual amount).
func (w *worker) row(rec []byte) bool {
	w.plainLine = false
	return w.rowOf(rec, nil)
}

// rowOf is row with the figures already read (by scan) when fig is set.
func (w *worker) rowOf(rec []byte, fig *[6]int64) bool {
	d := w.f.d
	if d.col[fPeriod] >= 0 && len(w.field(rec, d.col[fPeriod])) > 0 {
		return false
	}
	day, ok := w.day(w.field(rec, d.col[fDate]))
	if !ok {
		return false
	}
	host, product, currency, ok := w.keys(rec)
	if !ok {
		return false
	}
	var own [6]int64
	if fig == nil {
		fig = &own
		if d.l.ledger {
			f := w.kind(w.field(rec, d.col[fKind]))
			switch {
			case f == badKind:
				return false
			case f == kindIgnore:
				// Read and accounted for, worth nothing: summed per period.
				return w.addIgnored(host, day)
			}
			if ok = w.ledgerFigures(rec, f, fig); !ok {
				return false
			}
		} else if ok = w.figures(rec, fig); !ok {
			return false
		}
	}
	if product < 0 {
		return false // empty
	}
	return w.sum(host, product, currency, day, *fig)
}

// sum adds a read row's figures to its cell (the Parquet typed path too);
// false: the row goes to the general decoder.
func (w *worker) sum(host, product, currency, day int32, fig [6]int64) bool {
	// Daily fx: convert the row now, exactly, and sum it per period (and
	// its currency, whose original sums are kept beside).
	if day >= maxDay {
		return false
	}
	var m int64
	conv := false
	if currency >= 0 && w.byDay[currency] {
		if m = w.rate(currency, day); m > 0 {
			conv = true
			day = w.periodFirst(day)
		}
	}
	c := pack(host, product, currency, w.grain(day, currency))
	if conv {
		c |= convertedBit
	}
	return w.add(c, fig, m)
}

// day reads a date field as days since 1970: the canonical YYYY-MM-DD at
// once, anything else through the decoder's own date grammar, once per
// distinct text.
func (w *worker) day(raw []byte) (int32, bool) {
	if w.f.d.l.date == nil {
		// Rows come in runs of one date: the last one is remembered.
		if len(raw) == 10 && w.isoSet && [10]byte(raw) == w.iso {
			return w.isoDay, true
		}
		if b, ok := trim(raw); ok {
			if day, ok := parseDay(b); ok && day >= 0 {
				if len(raw) == 10 {
					w.iso, w.isoDay, w.isoSet = [10]byte(raw), day, true
				}
				return day, true
			}
		}
	}
	return w.dates.get(w.f.d, raw)
}

// maxSpans bounds the key spans a worker remembers.
var maxSpans = 1 << 12 // a variable for tests

// keys resolves a row's host, product (or emptyProduct) and currency;
// false when one of them is bad. On a line without quotes (w.plainLine)
// whose host, product and currency columns are read, the text from the
// first of them to the last, delimiters and the columns between included,
// is looked up whole first: such a line's fields are its text cut at every
// delimiter, so that text decides all three, and a report repeats few.
func (w *worker) keys(rec []byte) (host, product, currency int32, ok bool) {
	d := w.f.d
	var span []byte
	if w.plainLine && w.spanLo >= 0 {
		span = rec[w.starts[w.spanLo]:w.ends[w.spanHi]]
		i, seen := w.spans.get(span)
		var t [3]int32
		if seen {
			t = w.triples[i]
		}
		if len(w.triples) >= maxSpans {
			w.spanFull(!seen) // may drop the spans
		}
		if seen {
			return t[0], t[1], t[2], true
		}
	}
	if host, ok = w.host(rec); !ok {
		return 0, 0, 0, false
	}
	if product = w.product(w.field(rec, d.col[fProduct])); product == noProduct {
		return 0, 0, 0, false
	}
	currency = local
	if col := d.col[fCurrency]; col >= 0 {
		if currency = w.currency(w.field(rec, col)); currency == badCode {
			return 0, 0, 0, false
		}
	}
	if span != nil && w.spanLo >= 0 && product >= 0 && len(w.triples) < maxSpans {
		w.spans.put(span, int32(len(w.triples)))
		w.triples = append(w.triples, [3]int32{host, product, currency})
	}
	return host, product, currency, true
}

// spanFull counts a lookup in the full table of spans. Once it has missed
// more often than not over maxSpans lookups (1000 hosts × products ×
// regions × currencies), spans are no longer looked up: the three small
// lookups alone cost less than a missed big one first.
func (w *worker) spanFull(miss bool) {
	w.spanLooks++
	if miss {
		w.spanMisses++
	}
	if w.spanLooks == maxSpans {
		if 2*w.spanMisses > w.spanLooks {
			w.spanLo, w.spans, w.triples = -1, lookup{}, nil
		}
		w.spanLooks, w.spanMisses = 0, 0
	}
}

// host resolves a row's host to its index in the agreement.
func (w *worker) host(rec []byte) (int32, bool) {
	d := w.f.d
	if d.l.host != nil {
		return int32(w.f.hostIdx[d.l.host]), true
	}
	raw := w.field(rec, d.col[fHost])
	h, seen := w.hosts.get(raw)
	if !seen {
		h = -1
		if host, reason := d.normHost(string(raw)); reason == "" {
			h = int32(w.f.hostIdx[host])
		}
		w.remember(&w.hosts, raw, h, h < 0)
	}
	return h, h >= 0 && h < 1<<12
}

// product returns a product field's number (f.products), or noProduct or
// emptyProduct.
func (w *worker) product(raw []byte) int32 {
	p, seen := w.products.get(raw)
	if !seen {
		p = noProduct
		name, empty, reason := w.f.d.normProduct(string(raw))
		switch {
		case reason != "":
		case empty:
			p = emptyProduct
		default:
			if i, ok := w.f.products.id(name); ok {
				p = i
			}
		}
		if p >= 0 && name == string(raw) {
			w.products.putName(&w.f.products, raw, p)
			return p
		}
		w.remember(&w.products, raw, p, p == noProduct)
	}
	return p
}

// currency returns a currency field's index in w.codes, local (the
// settlement currency) or badCode.
func (w *worker) currency(raw []byte) int32 {
	if len(raw) == 0 {
		return local
	}
	cur, seen := w.currencies.get(raw)
	if !seen {
		cur = badCode
		code, reason := w.f.d.normCurrency(string(raw))
		switch {
		case reason != "":
		case code == w.f.d.a.Currency:
			cur = local
		case len(w.codes) < maxCodes/w.f.workers:
			cur = int32(len(w.codes))
			w.codes = append(w.codes, code)
			w.byDay = append(w.byDay, w.f.agg.ByDay != nil && w.f.agg.ByDay(code))
		}
		w.remember(&w.currencies, raw, cur, cur == badCode)
	}
	return cur
}

// kind returns the figure a ledger's kind field types, kindIgnore or
// badKind.
func (w *worker) kind(raw []byte) int {
	f, seen := w.kinds.get(raw)
	if !seen {
		f = badKind
		if k, reason := w.f.d.normKind(string(raw)); reason == "" {
			f = int32(k)
		}
		w.remember(&w.kinds, raw, f, f == badKind)
	}
	return int(f)
}

// remember keeps what the normaliser made of raw, a bad spelling only up
// to maxUnknownKept.
func (w *worker) remember(l *lookup, raw []byte, v int32, bad bool) {
	if bad {
		if w.unknown >= maxUnknownKept {
			return
		}
		w.unknown++
	}
	l.put(raw, v)
}

// amount reads an amount field in the plain forms, with its thousands
// grouped or not; empty when blank.
func (w *worker) amount(b []byte) (v int64, empty, ok bool) {
	sep := w.f.d.l.decimal
	if v, ok = money.ParseFixedSep(b, sep); ok {
		return v, false, true
	}
	// Spaces around it, or empty: trimmed, the plain forms again.
	if b, ok = trim(b); !ok {
		return 0, false, false
	}
	if len(b) == 0 {
		return 0, true, true
	}
	if v, ok = money.ParseFixedSep(b, sep); !ok {
		v, ok = money.ParseFixedGrouped(b, sep) // thousands grouped
	}
	return v, false, ok
}

// figures reads the figure columns of a row: only gross may be empty.
func (w *worker) figures(rec []byte, fig *[6]int64) bool {
	d := w.f.d
	for f := firstFigure; f <= lastFigure; f++ {
		col := d.col[f]
		if col < 0 {
			continue
		}
		v, empty, ok := w.amount(w.field(rec, col))
		if !ok || empty && f == fGross {
			return false
		}
		if d.l.negate[f] {
			v = -v
		}
		fig[f-firstFigure] = v
	}
	return true
}

// ledgerFigures reads a ledger row's amount as figure f, beside units in a
// column of their own.
func (w *worker) ledgerFigures(rec []byte, f int, fig *[6]int64) bool {
	d := w.f.d
	if col := d.col[fUnits]; col >= 0 {
		v, _, ok := w.amount(w.field(rec, col))
		if !ok {
			return false
		}
		if d.l.negate[fUnits] {
			v = -v
		}
		fig[5] = v
	}
	v, empty, ok := w.amount(w.field(rec, d.col[fAmount]))
	if !ok || empty {
		return false
	}
	if d.l.negate[f] {
		v = -v
	}
	fig[f-firstFigure] += v
	return true
}

// dateCache maps a date field's raw text to its day, as the decoder's own
// parseDate reads it; it is emptied when it holds maxDates texts, so that
// memory stays bounded whatever the dates.
type dateCache struct {
	m       map[string]int32
	last    []byte
	lastDay int32
}

const (
	maxDates = 1 << 16
	badDay   = -1 << 31
)

func (c *dateCache) get(d *decoder, raw []byte) (int32, bool) {
	if c.last != nil && string(c.last) == string(raw) {
		return c.lastDay, c.lastDay != badDay
	}
	day, ok := c.m[string(raw)]
	if !ok {
		day = badDay
		t, blank, err := d.normDate(string(raw))
		if !blank && err == nil {
			if u := t.Unix(); u >= 0 && u/86400 < convertedBit {
				day = int32(u / 86400)
			}
		}
		if c.m == nil || len(c.m) >= maxDates {
			c.m = make(map[string]int32)
		}
		c.m[string(raw)] = day
	}
	c.last, c.lastDay = append(c.last[:0], raw...), day
	return day, day != badDay
}
