package ingest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

// The one row normaliser: how the raw text of each field becomes a value,
// or the reason it cannot. decode (the general decoder) calls it on every
// row; the fast path calls it once per distinct raw text of a field and
// keeps the answer, so that the two paths cannot read a field two ways.
// Each takes the field as read, untrimmed.

// normDate reads a date field; blank when it holds nothing but spaces.
func (d *decoder) normDate(raw string) (t time.Time, blank bool, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return time.Time{}, true, nil
	}
	t, err = d.parseDate(s)
	return t, false, err
}

// normHost resolves a host field by id or alias; reason says why not.
func (d *decoder) normHost(raw string) (h *agreement.Host, reason string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, "empty host"
	}
	if h = d.a.Host(s); h == nil {
		return nil, fmt.Sprintf("unknown host %q", s)
	}
	return h, ""
}

// normProduct reads a product field: trimmed, lower-cased and renamed by
// the format's products map. empty reports a blank field (a bad row, but
// on a ledger row of an ignored kind).
func (d *decoder) normProduct(raw string) (p string, empty bool, reason string) {
	if !utf8.ValidString(raw) {
		return "", false, fmt.Sprintf("invalid UTF-8 in %q", raw)
	}
	if strings.IndexByte(raw, 0) >= 0 {
		return "", false, fmt.Sprintf("NUL byte in %q", raw)
	}
	p = strings.ToLower(strings.TrimSpace(raw))
	empty = p == ""
	if d.l.products != nil {
		if v, ok := d.l.products[p]; ok {
			p = v
		}
	}
	return p, empty, ""
}

// normCurrency reads a currency field: an upper-cased ISO 4217 code, the
// settlement currency when blank.
func (d *decoder) normCurrency(raw string) (code, reason string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return d.a.Currency, ""
	}
	u := strings.ToUpper(s)
	if !isCode(u) {
		return "", fmt.Sprintf("invalid currency %q (want a 3-letter ISO 4217 code)", s)
	}
	return u, ""
}

// normKind reads a ledger's kind field: the figure it types, or
// kindIgnore.
func (d *decoder) normKind(raw string) (f int, reason string) {
	k := strings.TrimSpace(raw)
	if k == "" {
		return 0, "empty kind"
	}
	f, ok := d.l.kinds[k]
	if !ok {
		f, ok = d.l.kindsLow[strings.ToLower(k)]
	}
	if !ok {
		return 0, fmt.Sprintf("unknown kind %q", k)
	}
	return f, ""
}

// parseDate reads a date in the layout's date_format, or the canonical
// YYYY-MM-DD / RFC 3339 timestamp (its UTC date).
func (d *decoder) parseDate(s string) (time.Time, error) {
	if d.l.date != nil {
		return d.l.date.Parse(s)
	}
	if len(s) == 10 {
		if t, err := period.ParseDate(s); err == nil {
			return t, nil
		}
	}
	// RFC 3339 allows a lower-case t and z, and a space for the T.
	ts := s
	if len(ts) > 10 && (ts[10] == ' ' || ts[10] == 't') {
		ts = ts[:10] + "T" + ts[11:]
	}
	if strings.HasSuffix(ts, "z") {
		ts = ts[:len(ts)-1] + "Z"
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil || len(s) == 10 {
		return time.Time{}, fmt.Errorf("invalid date %q (want YYYY-MM-DD or an RFC 3339 timestamp)", s)
	}
	t = t.UTC()
	if t.Year() > 9999 || t.Year() < 1 {
		// 9999-12-31T23:00-05:00 is 10000-01-01 in UTC: no period label
		// or output date can hold it.
		return time.Time{}, fmt.Errorf("date %q falls on %04d-%02d-%02d in UTC, outside 0001-01-01..9999-12-31", s, t.Year(), int(t.Month()), t.Day())
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

func isCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
