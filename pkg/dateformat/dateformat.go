// Package dateformat is the one grammar of a partner format's
// `date_format` (SPEC 4.1): the tokens YYYY, MM, DD, M, D and MMM (Jan..Dec,
// any case); every other character but a letter stands for itself. The
// agreement decoder checks a format with it and the revenue reader parses
// dates with it, so the two can never disagree about what a format means.
package dateformat

import (
	"fmt"
	"strings"
	"time"
)

// Layout is a compiled date_format.
type Layout struct {
	text string
	toks []token
}

type kind int

const (
	lit  kind = iota
	yyyy      // four digits
	mm        // two digits
	m         // one or two digits
	mmm       // Jan..Dec (any case)
	dd        // two digits
	d         // one or two digits
)

type token struct {
	kind kind
	lit  string
}

// tokens of a date_format, longest first, so "MMM" is read before "MM".
var tokens = []struct {
	text string
	kind kind
}{{"YYYY", yyyy}, {"MMM", mmm}, {"MM", mm}, {"M", m}, {"DD", dd}, {"D", d}}

var monthAbbr = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// Check returns "" when s is a valid date_format, else the end of a
// message saying why ("has no day (DD or D)"). A format has exactly one
// year, one month and one day token; other letters are not allowed; a
// one-or-two-digit token (M, D) cannot touch another numeric token, or the
// digits would be ambiguous.
func Check(s string) string {
	_, why := scan(s)
	return why
}

// Compile reads a date_format; the error says why it is not one.
func Compile(s string) (*Layout, error) {
	toks, why := scan(s)
	if why != "" {
		return nil, fmt.Errorf("invalid date_format %q: it %s", s, why)
	}
	return &Layout{text: s, toks: toks}, nil
}

// String is the date_format as written.
func (l *Layout) String() string { return l.text }

func scan(s string) ([]token, string) {
	var toks []token
	var year, month, day int
	prev := kind(-1) // the token just before; -1 after a literal
	for i := 0; i < len(s); {
		k, n := lit, 0
		for _, t := range tokens {
			if strings.HasPrefix(s[i:], t.text) {
				k, n = t.kind, len(t.text)
				break
			}
		}
		if n == 0 {
			if isLetter(s[i]) {
				j := i
				for j < len(s) && isLetter(s[j]) {
					j++
				}
				return nil, fmt.Sprintf("has an unknown token %q (tokens: YYYY MM DD M D MMM)", s[i:j])
			}
			j := i
			for j < len(s) && !isLetter(s[j]) {
				j++
			}
			toks = append(toks, token{kind: lit, lit: s[i:j]})
			prev = -1
			i = j
			continue
		}
		switch k {
		case yyyy:
			year++
		case mm, m, mmm:
			month++
		default:
			day++
		}
		if k != mmm && prev != -1 && prev != mmm && (k == m || k == d || prev == m || prev == d) {
			return nil, fmt.Sprintf("needs a separator between %s and %s", name(prev), name(k))
		}
		toks = append(toks, token{kind: k})
		prev = k
		i += n
	}
	switch {
	case year > 1:
		return nil, "has more than one year"
	case month > 1:
		return nil, "has more than one month"
	case day > 1:
		return nil, "has more than one day"
	case year == 0:
		return nil, "has no year (YYYY)"
	case month == 0:
		return nil, "has no month (MM, M or MMM)"
	case day == 0:
		return nil, "has no day (DD or D)"
	}
	return toks, ""
}

func name(k kind) string {
	for _, t := range tokens {
		if t.kind == k {
			return t.text
		}
	}
	return "?"
}

// Parse reads s strictly: every literal must match exactly and nothing may
// be left over. The result is UTC midnight.
func (l *Layout) Parse(s string) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("invalid date %q (want %s)", s, l.text)
	}
	var y, mo, dy int
	rest := s
	for _, t := range l.toks {
		switch t.kind {
		case lit:
			if !strings.HasPrefix(rest, t.lit) {
				return bad()
			}
			rest = rest[len(t.lit):]
		case yyyy:
			v, n := digits(rest, 4, 4)
			if n == 0 {
				return bad()
			}
			y, rest = v, rest[n:]
		case mm, m, dd, d:
			lo := 2
			if t.kind == m || t.kind == d {
				lo = 1
			}
			v, n := digits(rest, lo, 2)
			if n == 0 {
				return bad()
			}
			rest = rest[n:]
			if t.kind == mm || t.kind == m {
				mo = v
			} else {
				dy = v
			}
		case mmm:
			if len(rest) < 3 {
				return bad()
			}
			mo = 0
			for i, a := range monthAbbr {
				if strings.EqualFold(rest[:3], a) {
					mo = i + 1
					break
				}
			}
			if mo == 0 {
				return bad()
			}
			rest = rest[3:]
		}
	}
	if rest != "" || mo < 1 || mo > 12 || dy < 1 {
		return bad()
	}
	t := time.Date(y, time.Month(mo), dy, 0, 0, 0, 0, time.UTC)
	if t.Day() != dy || int(t.Month()) != mo {
		return bad() // 31 April, 29 February of a common year
	}
	return t, nil
}

// digits reads between lo and hi ASCII digits at the start of s (as many as
// there are, up to hi) and returns their value and count; count 0 means
// fewer than lo.
func digits(s string, lo, hi int) (int, int) {
	v, n := 0, 0
	for n < hi && n < len(s) && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n < lo {
		return 0, 0
	}
	return v, n
}
