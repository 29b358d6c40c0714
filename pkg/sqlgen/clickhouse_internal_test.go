package sqlgen

import (
	"regexp"
	"testing"
)

// TestOnlyGroup: extract() with onlyGroup(p, k) gives what group k of p
// captures (empty when it takes no part or p does not match), for the amount
// grammar (both separators) and a date_format pattern; checked with Go's
// regexp, whose syntax is RE2's, as ClickHouse's.
func TestOnlyGroup(t *testing.T) {
	dot := (&gen{f: &format{decimal: '.'}, scale: 6}).amountPattern()
	comma := (&gen{f: &format{decimal: ','}, scale: 6}).amountPattern()
	inputs := []string{"1234.56", "-1234.56", ".70", "1,234.56", "(1,234.56)", "$-5", "-€5.10", "¥ 12", "(12.00",
		"12.3.4", "1e3", "", "N/A", "1.234,56", "(1.234,56)", "  7  ", "0,5", "Sep 3, 2026", "03.09.2026"}
	for _, p := range []string{dot, comma, `^([A-Za-z]{3}) ([0-9]{1,2}), ([0-9]{4})$`, `^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$`, `^a[(]b(c)\(d\)(e)?$`} {
		re := regexp.MustCompile(p)
		for k := 0; k < re.NumSubexp(); k++ {
			one := regexp.MustCompile(onlyGroup(p, k))
			if one.NumSubexp() != 1 {
				t.Fatalf("onlyGroup(%q, %d) = %q has %d groups", p, k, onlyGroup(p, k), one.NumSubexp())
			}
			for _, s := range append(inputs, "a(bc(d)", "a(bc(d)e") {
				want := ""
				if m := re.FindStringSubmatch(s); m != nil {
					want = m[k+1]
				}
				got := ""
				if m := one.FindStringSubmatch(s); m != nil {
					got = m[1]
				}
				if got != want {
					t.Errorf("pattern %q group %d on %q: %q, want %q", p, k, s, got, want)
				}
			}
		}
	}
}

// TestChStr: ClickHouse string literals escape backslashes and quotes.
func TestChStr(t *testing.T) {
	if got, want := chStr(`a'b\s`), `'a\'b\\s'`; got != want {
		t.Errorf("chStr = %s, want %s", got, want)
	}
}
