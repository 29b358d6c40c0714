package glob

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"*", "meta-llama/llama-3", true},
		{"llama-*", "llama-3.1-405b", true},
		{"llama-*", "gemma-2", false},
		{"llama-[!g]*", "llama-3", true},
		{"llama-[!g]*", "llama-guard-3", false}, // SPEC 8: `!` negates, as in shells
		{"llama-[^g]*", "llama-guard-3", false},
		{"llama-[!g]*", "llama-", false},
		{"llama-[g]*", "llama-guard", true},
		{"[!abc]", "!", true},
		{"[!abc]", "a", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a?c", "a/c", true},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[!a-c]x", "dx", true},
		{"[]a]", "]", true},
		{"[]a]", "a", true},
		{"[!]a]", "]", false},
		{"[!]a]", "b", true},
		{"[a-]", "-", true},
		{"[-a]", "-", true},
		{"[a-]", "b", false},
		{`\*`, "*", true},
		{`\*`, "x", false},
		{`[\]]`, "]", true},
		{"*3*", "llama-3.1", true},
		{"*-405b", "llama-3.1-405b", true},
		{"*-405b", "llama-3.1-405b-x", false},
		{"a**b", "ab", true},
		{"[é-ü]", "ö", true},
		{"llama-3.?-8b", "llama-3.1-8b", true},
		{".", "x", false}, // no regexp meaning
	} {
		p, err := Compile(c.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.pattern, err)
			continue
		}
		if got := p.Match(c.name); got != c.want {
			t.Errorf("%q matches %q = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for p, want := range map[string]string{
		"[abc":  "[ is never closed (at byte 0)",
		"a[":    "[ is never closed (at byte 1)",
		`a\`:    `\ at the end escapes nothing (at byte 1)`,
		"x*[":   "[ is never closed (at byte 2)",
		"[]":    "[ is never closed (at byte 0)",
		"[!]":   "[ is never closed (at byte 0)",
		"[z-a]": "range z-a runs backwards (at byte 0)",
		"é[":    "[ is never closed (at byte 2)",
	} {
		_, err := Compile(p)
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("Compile(%q): got %v, want …%s", p, err, want)
		}
	}
}

// TestAgreesWithPathMatch: on names without `/` and patterns in the
// syntax both share (negation written `^`, no `]` or `-` at a class edge),
// the matcher agrees with path.Match; `!` and `^` negate alike.
func TestAgreesWithPathMatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOfN(rapid.SampledFrom([]string{
			"a", "b", "-", "*", "?", "[ab]", "[!a]", "[^b]", "[a-b]", "[!a-b]", `\*`, `\?`,
		}), 0, 8).Draw(t, "pattern")
		pattern := strings.Join(parts, "")
		name := rapid.StringOfN(rapid.SampledFrom([]rune("ab-*?c")), 0, 10, -1).Draw(t, "name")
		want, err := path.Match(strings.ReplaceAll(pattern, "[!", "[^"), name)
		if err != nil {
			t.Fatalf("path.Match(%q): %v", pattern, err)
		}
		if got := MustCompile(pattern).Match(name); got != want {
			t.Fatalf("%q matches %q = %v, path.Match says %v", pattern, name, got, want)
		}
	})
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"llama-[!g]*", "[]a]", `\*x`, "a*b*c", "[a-"} {
		f.Add(s, "llama-3")
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		p, err := Compile(pattern)
		if err != nil || !utf8.ValidString(name) {
			return
		}
		p.Match(name) // must not panic or hang
		// A pattern of plain letters matches exactly itself.
		if !strings.ContainsAny(pattern, `*?[\`) && p.Match(name) != (pattern == name) {
			t.Fatalf("literal %q vs %q", pattern, name)
		}
	})
}
