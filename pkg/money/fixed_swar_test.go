package money

import (
	"strings"
	"testing"
)

// TestParseFixedFieldEqualsSep: every shape of amount (sign, 0 to 14
// integer digits, separator, 0 to 8 decimals, stray bytes, each digit
// varied), at every offset of a line, is read by ParseFixedField as
// ParseFixedSep reads the field alone.
func TestParseFixedFieldEqualsSep(t *testing.T) {
	digits := "98765432101234567"
	n := 0
	for _, sign := range []string{"", "-", "+", " "} {
		for id := 0; id <= 14; id++ {
			for fd := -1; fd <= 8; fd++ {
				for rot := 0; rot < 3; rot++ {
					s := sign + digits[rot:rot+id]
					if fd >= 0 {
						s += "." + digits[rot+1:rot+1+fd]
					}
					for _, odd := range []string{"", "x", ",", ".", "\xff", "/", ":", "\x00"} {
						for at := 0; at <= len(s); at++ {
							text := s[:at] + odd + s[at:]
							for _, sep := range []byte{'.', ','} {
								if sep == ',' {
									text = swapSeparators(text)
								}
								n += checkField(t, text, sep)
							}
							if odd == "" {
								break
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d cases", n)
}

// checkField compares ParseFixedField on field at every offset of a line
// of other fields with ParseFixedSep on the field alone.
func checkField(t *testing.T, field string, sep byte) int {
	want, wok := ParseFixedSep([]byte(field), sep)
	n := 0
	for pre := 0; pre <= 20; pre++ {
		line := []byte(strings.Repeat("7", pre) + field + ";12.5;9")
		s, e := pre, pre+len(field)
		v, ok := ParseFixedField(line, s, e, sep)
		if v != want || ok != wok {
			t.Fatalf("ParseFixedField(%q, %d, %d, %q) = %d, %v; ParseFixedSep(%q) = %d, %v", line, s, e, sep, v, ok, field, want, wok)
		}
		n++
	}
	return n
}
