package spell

import (
	"testing"

	"pgregory.net/rapid"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"refund", "refunds", 1},
		{"refnuds", "refunds", 1}, // a swap is one edit
		{"kitten", "sitting", 3},
		{"azrue", "azure", 1},
		{"ca", "abc", 3}, // OSA, not full Damerau: no edit after a swap
		{"brutto", "brutto", 0},
		{"größe", "grosse", 3}, // runes, not bytes (9 bytes against 6)
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestDistanceProperties holds the metric's laws on random words: zero only
// for equal words, symmetric, at most the longer length, at least the
// difference of lengths.
func TestDistanceProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		word := rapid.StringMatching(`[abcé]{0,8}`)
		a, b := word.Draw(t, "a"), word.Draw(t, "b")
		d := Distance(a, b)
		la, lb := len([]rune(a)), len([]rune(b))
		if (d == 0) != (a == b) {
			t.Fatalf("Distance(%q, %q) = %d", a, b, d)
		}
		if d != Distance(b, a) {
			t.Fatalf("not symmetric: %q %q", a, b)
		}
		if d > max(la, lb) || d < max(la-lb, lb-la) {
			t.Fatalf("Distance(%q, %q) = %d out of bounds", a, b, d)
		}
	})
}

func TestHint(t *testing.T) {
	if got := Hint("refunds"); got != `did you mean "refunds"?` {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint(""); got != "" {
		t.Errorf("Hint(\"\") = %q", got)
	}
}
