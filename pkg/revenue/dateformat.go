package revenue

import (
	"fmt"
	"strings"
	"time"
)

// dateLayout is a compiled `date_format` (SPEC 4.1): the tokens YYYY, MM,
// DD, M, D and MMM; every other character stands for itself.
type dateLayout struct {
	text string
	toks []dateTok
}

type tokKind int

const (
	tokLit  tokKind = iota
	tokYYYY         // four digits
	tokMM           // two digits
	tokM            // one or two digits
	tokMMM          // Jan..Dec (any case)
	tokDD           // two digits
	tokD            // one or two digits
)

type dateTok struct {
	kind tokKind
	lit  string
}

var monthAbbr = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// compileDateLayout reads a date_format. It needs exactly one year, one
// month and one day token; runs of Y other than YYYY, of M longer than
// three and of D longer than two are errors.
func compileDateLayout(s string) (*dateLayout, error) {
	l := &dateLayout{text: s}
	var ny, nm, nd int
	for i := 0; i < len(s); {
		c := s[i]
		if c != 'Y' && c != 'M' && c != 'D' {
			j := i
			for j < len(s) && s[j] != 'Y' && s[j] != 'M' && s[j] != 'D' {
				j++
			}
			l.toks = append(l.toks, dateTok{kind: tokLit, lit: s[i:j]})
			i = j
			continue
		}
		j := i
		for j < len(s) && s[j] == c {
			j++
		}
		n := j - i
		var k tokKind
		switch {
		case c == 'Y' && n == 4:
			k, ny = tokYYYY, ny+1
		case c == 'M' && n == 1:
			k, nm = tokM, nm+1
		case c == 'M' && n == 2:
			k, nm = tokMM, nm+1
		case c == 'M' && n == 3:
			k, nm = tokMMM, nm+1
		case c == 'D' && n == 1:
			k, nd = tokD, nd+1
		case c == 'D' && n == 2:
			k, nd = tokDD, nd+1
		default:
			return nil, fmt.Errorf("invalid date_format %q: %q is not a token (want YYYY, MM, M, MMM, DD or D)", s, s[i:j])
		}
		l.toks = append(l.toks, dateTok{kind: k})
		i = j
	}
	if ny != 1 || nm != 1 || nd != 1 {
		return nil, fmt.Errorf("invalid date_format %q: it needs one year (YYYY), one month (MM, M or MMM) and one day (DD or D)", s)
	}
	return l, nil
}

// parse reads s strictly: every literal must match exactly and nothing may
// be left over. The result is UTC midnight.
func (l *dateLayout) parse(s string) (time.Time, error) {
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("invalid date %q (want %s)", s, l.text)
	}
	var y, m, d int
	rest := s
	for _, t := range l.toks {
		switch t.kind {
		case tokLit:
			if !strings.HasPrefix(rest, t.lit) {
				return bad()
			}
			rest = rest[len(t.lit):]
		case tokYYYY:
			v, n := digits(rest, 4, 4)
			if n == 0 {
				return bad()
			}
			y, rest = v, rest[n:]
		case tokMM, tokM, tokDD, tokD:
			lo := 2
			if t.kind == tokM || t.kind == tokD {
				lo = 1
			}
			v, n := digits(rest, lo, 2)
			if n == 0 {
				return bad()
			}
			rest = rest[n:]
			if t.kind == tokMM || t.kind == tokM {
				m = v
			} else {
				d = v
			}
		case tokMMM:
			if len(rest) < 3 {
				return bad()
			}
			m = 0
			for i, a := range monthAbbr {
				if strings.EqualFold(rest[:3], a) {
					m = i + 1
					break
				}
			}
			if m == 0 {
				return bad()
			}
			rest = rest[3:]
		}
	}
	if rest != "" || m < 1 || m > 12 || d < 1 {
		return bad()
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
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
