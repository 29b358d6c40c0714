package glob

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// runeMatch is Match as it was before it read names in place: over the
// name converted to runes, items walked for every pattern. Match must
// agree with it on every pattern and name, UTF-8 or not.
func runeMatch(p *Pattern, name string) bool {
	s := []rune(name)
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p.items) {
			it := &p.items[pi]
			if it.kind == star {
				starP, starS = pi, si
				pi++
				continue
			}
			if it.matches(s[si]) {
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		si = starS
		pi = starP + 1
	}
	for pi < len(p.items) && p.items[pi].kind == star {
		pi++
	}
	return pi == len(p.items)
}

// pieces of patterns and names: ASCII, two- three- and four-byte UTF-8,
// U+FFFD itself, and bytes that are not UTF-8 (names only: a pattern must
// be UTF-8).
var (
	patternPieces = []string{"a", "b", "é", "€", "😀", "\uFFFD", "-", "*", "**", "?", "[ab]", "[!a]", "[é-ü]", "[^€]", `\*`, `\?`, `\[`, "[]a]", "[a-]"}
	namePieces    = []string{"a", "b", "é", "ö", "€", "😀", "\uFFFD", "-", "*", "?", "[", "]", "\xff", "\xe2\x82", "\xc3", "\x80"}
)

func TestMatchEqualsRuneMatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pattern := strings.Join(rapid.SliceOfN(rapid.SampledFrom(patternPieces), 0, 6).Draw(t, "pattern"), "")
		name := strings.Join(rapid.SliceOfN(rapid.SampledFrom(namePieces), 0, 10).Draw(t, "name"), "")
		p, err := Compile(pattern)
		if err != nil {
			t.Fatalf("Compile(%q): %v", pattern, err)
		}
		if got, want := p.Match(name), runeMatch(p, name); got != want {
			t.Fatalf("%q (shape %d) matches %q = %v, over runes %v", pattern, p.shape, name, got, want)
		}
	})
}

// TestMatchShapes pins which patterns compare strings, and that a literal
// U+FFFD (which matches a byte that is not UTF-8) walks items.
func TestMatchShapes(t *testing.T) {
	for pattern, want := range map[string]shape{
		"*": anything, "**": anything, "llama-3": exact, "": exact, `a\*b`: exact,
		"llama-3.1-405b*": prefix, "*-405b": suffix, "llama-*-x": general,
		"*a*": general, "a?": general, "[ab]*": general, "\uFFFD*": general,
	} {
		if got := MustCompile(pattern).shape; got != want {
			t.Errorf("%q: shape %d, want %d", pattern, got, want)
		}
	}
	if !MustCompile("\uFFFD*").Match("\xffabc") || !MustCompile("*\uFFFD").Match("x\xe2\x82") {
		t.Error("a literal U+FFFD must match a byte that is not UTF-8")
	}
}
