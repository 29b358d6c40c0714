package money

import (
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The fuzz targets of the amount and rate grammars. Their seed corpora are
// in testdata/fuzz/<FuzzName>/ and run with every `go test`; `make fuzz`
// runs the fuzzer itself for a while.

// FuzzParseAmount: ParseAmount never panics; an amount it accepts reads
// back to the same value from its canonical text and from its grouped
// text (in either decimal convention); and the fast path ParseFixed,
// whenever it accepts, agrees with ParseAmount to the last digit.
func FuzzParseAmount(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, commaDecimal bool) {
		sep, group := byte('.'), byte(',')
		if commaDecimal {
			sep, group = ',', '.'
		}
		d, err := ParseAmount(s, sep)
		if err == nil {
			// Only the grammar's characters can make an amount.
			for _, r := range strings.TrimSpace(s) {
				if !(r >= '0' && r <= '9' || r == rune(sep) || r == rune(group) || strings.ContainsRune("-()$€£¥", r) || isSpace(r)) {
					t.Fatalf("ParseAmount(%q, %q) = %s: accepted %q", s, sep, d, r)
				}
			}
			// The canonical text in this convention reads back the same.
			text := d.String()
			if commaDecimal {
				text = strings.Replace(text, ".", ",", 1)
			}
			back, err := ParseAmount(text, sep)
			if err != nil || !back.Equal(d) {
				t.Fatalf("ParseAmount(%q, %q) = %s; its text %q reads %s, %v", s, sep, d, text, back, err)
			}
			// So does the grouped text at the amount's own scale.
			scale := max(-d.Exponent(), 0)
			g := Group(d, scale)
			if commaDecimal {
				g = swapSeparators(g)
			}
			back, err = ParseAmount(g, sep)
			if err != nil || !back.Equal(d) {
				t.Fatalf("ParseAmount(%q, %q) = %s; grouped %q reads %s, %v", s, sep, d, g, back, err)
			}
		} else if err != ErrEmpty && !strings.Contains(err.Error(), "invalid amount") {
			t.Fatalf("ParseAmount(%q, %q): unexpected error %v", s, sep, err)
		}
		if err == ErrEmpty && strings.TrimSpace(s) != "" {
			t.Fatalf("ParseAmount(%q): ErrEmpty for text that is not blank", s)
		}

		// The fast path, with either separator, may refuse what
		// ParseAmount accepts, never the other way round, and never
		// gives another value.
		for _, sep := range []byte{'.', ','} {
			v, ok := ParseFixedSep([]byte(s), sep)
			if g, gok := ParseFixedGrouped([]byte(s), sep); gok {
				if ok {
					t.Fatalf("ParseFixedSep and ParseFixedGrouped both read %q", s)
				}
				v, ok = g, true
			}
			if !ok {
				continue
			}
			want, err := ParseAmount(s, sep)
			if err != nil {
				t.Fatalf("ParseFixedSep(%q, %q) accepts %d, ParseAmount refuses: %v", s, sep, v, err)
			}
			if got := decimal.New(v, -FixedScale); !got.Equal(want) {
				t.Fatalf("ParseFixedSep(%q, %q) = %s, ParseAmount = %s", s, sep, got, want)
			}
		}
		checkPrefix(t, s)
		for _, sep := range []byte{'.', ','} {
			checkField(t, s, sep)
		}
	})
}

// checkPrefix: ParseFixedPrefix reads at the start of s exactly what
// ParseFixedSep reads on that prefix, and the byte after it cannot extend
// the amount (so a reader that stops at a delimiter reads the field's
// value, or falls back).
func checkPrefix(t *testing.T, s string) {
	for _, sep := range []byte{'.', ','} {
		v, n, ok := ParseFixedPrefix([]byte(s), sep)
		if !ok {
			if w, wok := ParseFixedSep([]byte(s), sep); wok {
				t.Fatalf("ParseFixedPrefix(%q, %q) refuses, ParseFixedSep reads %d", s, sep, w)
			}
			continue
		}
		w, wok := ParseFixedSep([]byte(s[:n]), sep)
		if !wok || w != v {
			t.Fatalf("ParseFixedPrefix(%q, %q) = %d, %d; ParseFixedSep(%q) = %d, %v", s, sep, v, n, s[:n], w, wok)
		}
		if n < len(s) {
			if _, longer := ParseFixedSep([]byte(s[:n+1]), sep); longer || s[n] >= '0' && s[n] <= '9' {
				t.Fatalf("ParseFixedPrefix(%q, %q) stops at %d, before %q", s, sep, n, s[n])
			}
		}
	}
}

// swapSeparators turns 1,234.5 into 1.234,5.
func swapSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ',':
			return '.'
		case '.':
			return ','
		}
		return r
	}, s)
}

// isSpace is what strings.TrimSpace trims, for the characters inside an
// amount ("- 5", "$ 5", "( 5 )").
func isSpace(r rune) bool { return strings.TrimSpace(string(r)) == "" }

// FuzzParseRate: ParseRate never panics, a rate it accepts is the
// percentage over 100, and its text reads back to the same rate and text.
func FuzzParseRate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if !r.Percent().Equal(r.Value.Shift(2)) || !strings.HasSuffix(r.Text, "%") {
			t.Fatalf("ParseRate(%q) = %+v", s, r)
		}
		back, err := ParseRate(r.String())
		if err != nil || !back.Value.Equal(r.Value) || back.Text != r.Text {
			t.Fatalf("ParseRate(%q) = %s; its text reads %+v, %v", s, r, back, err)
		}
		if strings.ContainsAny(r.Text, "eE+_,") {
			t.Fatalf("ParseRate(%q): text %q", s, r.Text)
		}
	})
}

// literal is the grammar ParseLiteral reads: `_` only between digits.
var literal = regexp.MustCompile(`^-?[0-9]+(_[0-9]+)*(\.[0-9]+(_[0-9]+)*)?$`)

// FuzzParseLiteral: ParseLiteral never panics, accepts only digits with
// `_` between them, one point and a leading minus, and what it accepts
// reads back the same from its canonical text.
func FuzzParseLiteral(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseLiteral(s)
		if err != nil {
			return
		}
		if !literal.MatchString(strings.TrimSpace(s)) {
			t.Fatalf("ParseLiteral(%q) = %s: not a literal", s, d)
		}
		back, err := ParseLiteral(d.String())
		if err != nil || !back.Equal(d) {
			t.Fatalf("ParseLiteral(%q) = %s; its text reads %s, %v", s, d, back, err)
		}
	})
}
