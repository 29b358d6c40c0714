package ingest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/dateformat"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// Canonical is the name of the canonical input format (SPEC 3).
const Canonical = "canonical"

// Field indexes: the canonical fields in agreement.Fields order, then the
// two columns of a ledger format.
const (
	fDate = iota
	fPeriod
	fHost
	fProduct
	fCurrency
	fGross
	fRefunds
	fTaxes
	fFees
	fCredits
	fUnits
	fRegion
	fAmount
	fKind
	nField
)

// The figures: fGross..fUnits.
const firstFigure, lastFigure = fGross, fUnits

var fieldNames = [nField]string{"date", "period", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units", "region", "amount", "kind"}

// fieldIndex returns the index of a canonical field name, or -1.
func fieldIndex(name string) int {
	for i := 0; i < fAmount; i++ {
		if fieldNames[i] == name {
			return i
		}
	}
	return -1
}

const kindIgnore = -1

// layout is an input format compiled against the agreement: what each
// field's header is called and how its text is read.
type layout struct {
	name      string
	delim     rune
	skip      int
	decimal   byte
	host      *agreement.Host // fixed by the format, or nil
	names     [nField]string  // expected header per field ("" = not read)
	explicit  []string        // headers the format maps by name (detection), lower-cased
	ledger    bool
	kinds     map[string]int // kind value -> figure index or kindIgnore
	kindsLow  map[string]int // the same, by lower-cased value
	negate    [nField]bool
	products  map[string]string  // lower-cased partner id -> product id
	date      *dateformat.Layout // nil = canonical date
	footer    string             // ignore_prefix
	compileEr error              // a format the reader cannot use
	cols      columnNotes        // what the warning about unread columns needs (columns.go)
}

// canonicalLayout is the layout of SPEC 3, with delim as the delimiter.
func canonicalLayout(delim rune) *layout {
	l := &layout{name: Canonical, delim: delim, decimal: '.'}
	for i := 0; i < fAmount; i++ {
		l.names[i] = fieldNames[i]
	}
	return l
}

// compileFormat builds the layout of a declared format. Problems a valid
// agreement cannot have (an unknown host, a bad date_format) are kept in
// compileEr and reported only when the format is used.
func compileFormat(a *agreement.Agreement, f *agreement.Format, defDelim rune) *layout {
	l := canonicalLayout(defDelim)
	l.name = f.Name
	if f.Delimiter != 0 {
		l.delim = f.Delimiter
	}
	if f.Decimal != 0 {
		l.decimal = f.Decimal
	}
	l.skip = f.SkipLines
	l.footer = f.IgnorePrefix
	fail := func(format string, args ...any) {
		if l.compileEr == nil {
			l.compileEr = fmt.Errorf("format %q: "+format, append([]any{f.Name}, args...)...)
		}
	}
	if f.Host != "" {
		l.host = a.HostByID(f.Host)
		if l.host == nil {
			fail("unknown host %q", f.Host)
		}
		l.names[fHost] = ""
	}
	seen := map[string]bool{}
	addExplicit := func(h string) {
		k := key(h)
		if !seen[k] {
			seen[k] = true
			l.explicit = append(l.explicit, k)
		}
	}
	for field, h := range f.Columns {
		i := fieldIndex(field)
		if i < 0 {
			fail("unknown field %q in columns", field)
			continue
		}
		addExplicit(h)
		if i == fHost && l.host != nil {
			continue
		}
		l.names[i] = strings.TrimSpace(h)
	}
	if f.Amount != "" || f.Kind != "" || len(f.Kinds) > 0 {
		l.compileLedger(f, fail)
		addExplicit(f.Amount)
		addExplicit(f.Kind)
	}
	sort.Strings(l.explicit)
	l.onlyMapped(f)
	for _, n := range f.Negate {
		i := fieldIndex(n)
		if i < firstFigure || i > lastFigure {
			fail("negate: %q is not an amount field", n)
			continue
		}
		l.negate[i] = true
	}
	if len(f.Products) > 0 {
		l.products = map[string]string{}
		for _, k := range sortedKeys(f.Products) {
			lk := strings.ToLower(strings.TrimSpace(k))
			if _, dup := l.products[lk]; !dup {
				l.products[lk] = strings.ToLower(strings.TrimSpace(f.Products[k]))
			}
		}
	}
	if f.DateFormat != "" {
		d, err := dateformat.Compile(f.DateFormat)
		if err != nil {
			fail("%v", err)
		}
		l.date = d
	}
	return l
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// key is how header names are compared: trimmed, case-insensitive.
func key(h string) string { return strings.ToLower(strings.TrimSpace(h)) }

// matches reports whether a header (as a set of keys) carries the format:
// all its explicitly mapped headers, or, for a format that maps none, the
// required canonical ones.
func (l *layout) matches(hdr map[string]bool) bool {
	if len(l.explicit) > 0 {
		for _, h := range l.explicit {
			if !hdr[h] {
				return false
			}
		}
		return true
	}
	for _, i := range []int{fHost, fProduct, fGross} {
		if l.names[i] != "" && !hdr[key(l.names[i])] {
			return false
		}
	}
	return hdr[key(l.names[fDate])] || hdr[key(l.names[fPeriod])]
}

// decoder reads the rows of one file: a layout bound to the file's header.
// decode is independent of how the file is split into fields, so a faster
// splitter can reuse it.
type decoder struct {
	a      *agreement.Agreement
	l      *layout
	header []string    // trimmed header names as written
	raw    []string    // the header record as read
	col    [nField]int // field -> index in the record, -1 when absent
	nf     int         // fields a row must have
	// rejects: the file is a --rejects file fed back; its cells were
	// neutralised against formula injection and are restored on reading.
	rejects bool
}

// newDecoder binds l to a header. It returns the missing required columns
// (as items of a message), the duplicated columns it would read, and the
// columns it ignores.
func newDecoder(a *agreement.Agreement, l *layout, rec []string) (d *decoder, missing, dups, ignored []string) {
	if isRejectsHeader(keysOf(rec)) {
		rec = uncells(rec)
	}
	d = &decoder{a: a, l: l, nf: len(rec), raw: append([]string(nil), rec...), rejects: isRejectsHeader(keysOf(rec))}
	d.header = make([]string, len(rec))
	index := map[string]int{}
	count := map[string]int{}
	for i, h := range rec {
		d.header[i] = strings.TrimSpace(h)
		k := key(h)
		count[k]++
		if _, ok := index[k]; !ok {
			index[k] = i
		}
	}
	used := make([]bool, len(rec))
	for f := range d.col {
		d.col[f] = -1
		if l.names[f] == "" {
			continue
		}
		k := key(l.names[f])
		if i, ok := index[k]; ok {
			d.col[f] = i
			if !used[i] && count[k] > 1 {
				dups = append(dups, d.header[i])
			}
			used[i] = true
		}
	}
	q := func(f int) string { return fmt.Sprintf("%q", l.names[f]) }
	if d.col[fDate] < 0 && d.col[fPeriod] < 0 {
		switch {
		case l.names[fPeriod] == "":
			missing = append(missing, q(fDate))
		case l.names[fDate] == "":
			missing = append(missing, q(fPeriod))
		default:
			missing = append(missing, q(fDate)+" (or "+q(fPeriod)+")")
		}
	}
	req := []int{fHost, fProduct, fGross}
	if l.ledger {
		req = []int{fHost, fProduct, fAmount, fKind}
	}
	for _, f := range req {
		if l.names[f] != "" && d.col[f] < 0 {
			missing = append(missing, q(f))
		}
	}
	if d.rejects {
		for i := range rejectsColumns {
			used[i] = true // not read: a rejects file fed back
		}
	}
	for i, u := range used {
		if !u && !l.cols.ignore[key(rec[i])] {
			ignored = append(ignored, d.header[i])
		}
	}
	return d, missing, dups, ignored
}

// figureCol is the record index holding field f (a figure of a ledger
// format lives in the amount column), or -1.
func (d *decoder) figureCol(f int) int {
	if d.l.ledger && f >= firstFigure && f <= lastFigure && !(f == fUnits && d.col[fUnits] >= 0) {
		return d.col[fAmount]
	}
	return d.col[f]
}

// decode fills r from one record's fields. On a bad row it returns the
// index of the column at fault (-1 for the row as a whole) and the reason;
// reason "" means r is good. Each field is read by the normaliser (norm.go).
func (d *decoder) decode(rec []string, r *Row) (int, string) {
	if len(rec) != d.nf {
		return -1, fmt.Sprintf("row has %d fields, the header has %d", len(rec), d.nf)
	}
	if c, reason := d.decodeWhen(rec, r); reason != "" {
		return c, reason
	}
	// Host.
	if d.l.host != nil {
		r.Host = d.l.host
	} else {
		c := d.col[fHost]
		var reason string
		if r.Host, reason = d.normHost(rec[c]); reason != "" {
			return c, reason
		}
	}
	// Product: a ledger row of an ignored kind (a payout, say) may have
	// none: it is worth nothing under any rule.
	c := d.col[fProduct]
	p, empty, reason := d.normProduct(rec[c])
	if reason != "" {
		return c, reason
	}
	if empty && !d.ignoredKind(rec) {
		return c, "empty product"
	}
	r.Product = p
	// Currency.
	r.Currency = d.a.Currency
	if c := d.col[fCurrency]; c >= 0 {
		if r.Currency, reason = d.normCurrency(rec[c]); reason != "" {
			return c, reason
		}
	}
	if d.l.ledger {
		return d.decodeLedger(rec, r)
	}
	return d.decodeFigures(rec, r)
}

// decodeWhen reads a row's date and period into r.
func (d *decoder) decodeWhen(rec []string, r *Row) (int, string) {
	var date time.Time
	var label, settle period.Period
	haveDate, haveLabel := false, false
	if c := d.col[fDate]; c >= 0 {
		t, blank, err := d.normDate(rec[c])
		if err != nil {
			return c, err.Error()
		}
		date, haveDate = t, !blank
	}
	if c := d.col[fPeriod]; c >= 0 {
		if s := strings.TrimSpace(rec[c]); s != "" {
			p, err := period.Parse(s)
			if err != nil {
				return c, err.Error()
			}
			sp, err := p.In(d.a.Period)
			if err != nil {
				return c, err.Error()
			}
			label, settle, haveLabel = p, sp, true
		}
	}
	switch {
	case haveDate && haveLabel:
		if date.Before(label.Start()) || date.After(label.End()) {
			return d.col[fDate], fmt.Sprintf("date %s is outside period %s", period.FormatDate(date), label)
		}
		r.Date, r.Period = date, settle
	case haveDate:
		r.Date, r.Period = date, period.Of(date, d.a.Period)
	case haveLabel:
		r.Date, r.Period = label.End(), settle
	case d.col[fDate] >= 0 && d.col[fPeriod] >= 0:
		return d.col[fDate], "empty date and period"
	case d.col[fDate] >= 0:
		return d.col[fDate], "empty date"
	default:
		return d.col[fPeriod], "empty period"
	}
	return -1, ""
}

// decodeLedger reads the figures of a ledger row: the amount, typed by
// the kind, and units from a column of their own when mapped.
func (d *decoder) decodeLedger(rec []string, r *Row) (int, string) {
	l := d.l
	c := d.col[fKind]
	f, reason := d.normKind(rec[c])
	if reason != "" {
		return c, reason
	}
	if f == kindIgnore {
		r.Ignored = true
		return -1, ""
	}
	if c := d.col[fUnits]; c >= 0 {
		// Units in a column of their own, beside the typed amount.
		v, err := money.ParseAmount(rec[c], l.decimal)
		if err != nil && err != money.ErrEmpty {
			return c, err.Error()
		}
		if l.negate[fUnits] {
			v = v.Neg()
		}
		r.Units = v
	}
	c = d.col[fAmount]
	v, err := money.ParseAmount(rec[c], l.decimal)
	if err != nil {
		return c, err.Error()
	}
	if l.negate[f] {
		v = v.Neg()
	}
	if f == fUnits {
		r.Units = r.Units.Add(v)
	} else {
		*r.figure(f) = v
	}
	return -1, ""
}

// decodeFigures reads the figure columns of a row; only gross may not be
// empty.
func (d *decoder) decodeFigures(rec []string, r *Row) (int, string) {
	for f := firstFigure; f <= lastFigure; f++ {
		c := d.col[f]
		if c < 0 {
			continue
		}
		v, err := money.ParseAmount(rec[c], d.l.decimal)
		if err == money.ErrEmpty && f != fGross {
			continue
		}
		if err != nil {
			return c, err.Error()
		}
		if d.l.negate[f] {
			v = v.Neg()
		}
		*r.figure(f) = v
	}
	return -1, ""
}

// ignoredKind reports whether rec is a ledger row whose kind maps to ignore.
func (d *decoder) ignoredKind(rec []string) bool {
	if !d.l.ledger {
		return false
	}
	f, reason := d.normKind(rec[d.col[fKind]])
	return reason == "" && f == kindIgnore
}

// figure returns the field of r holding figure f.
func (r *Row) figure(f int) *decimal.Decimal {
	switch f {
	case fGross:
		return &r.Gross
	case fRefunds:
		return &r.Refunds
	case fTaxes:
		return &r.Taxes
	case fFees:
		return &r.Fees
	case fCredits:
		return &r.Credits
	}
	return &r.Units
}
