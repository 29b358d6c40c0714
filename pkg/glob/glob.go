// Package glob matches product ids against the agreement's product
// patterns with shell (fnmatch) rules, SPEC 8: `*` matches any text, `/`
// included (product ids such as `meta-llama/llama-3` are not paths), `?`
// one character, `[abc]` and `[a-z]` one character of a class, `[!abc]`
// (or `[^abc]`) one character not in it, and `\` makes the next character
// literal. As in fnmatch, `]` right after `[` or `[!` is a member of the
// class, and `-` first or last in a class is literal. Unlike fnmatch, a
// `[` never closed is an error, not a literal: a pattern in an agreement
// that cannot mean what it says is refused.
package glob

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Pattern is a compiled glob.
type Pattern struct {
	text  string
	items []item
	// shape and lit: a pattern that is only literals (exact: lit), or
	// literals and one star at the end (prefix) or the start (suffix), or
	// a lone star (anything), matches by comparing strings; general walks
	// items.
	shape shape
	lit   string
}

type shape uint8

const (
	general shape = iota
	exact
	prefix
	suffix
	anything
)

type kind uint8

const (
	literal kind = iota
	any1         // ?
	star         // *
	class        // [...]
)

type item struct {
	kind   kind
	r      rune      // literal
	negate bool      // class
	ranges [][2]rune // class: inclusive ranges (a single rune is {r, r})
}

// Error is a malformed pattern: Offset is the byte offset of the problem.
type Error struct {
	Pattern string
	Offset  int
	Msg     string
}

func (e *Error) Error() string {
	return fmt.Sprintf("glob %q: %s (at byte %d)", e.Pattern, e.Msg, e.Offset)
}

// Compile parses pattern.
func Compile(pattern string) (*Pattern, error) {
	p := &Pattern{text: pattern}
	if !utf8.ValidString(pattern) {
		return nil, &Error{pattern, 0, "not valid UTF-8"}
	}
	rs := []rune(pattern)
	off := func(i int) int { return len(string(rs[:i])) }
	for i := 0; i < len(rs); {
		switch rs[i] {
		case '*':
			// Runs of stars match like one.
			if n := len(p.items); n == 0 || p.items[n-1].kind != star {
				p.items = append(p.items, item{kind: star})
			}
			i++
		case '?':
			p.items = append(p.items, item{kind: any1})
			i++
		case '\\':
			if i+1 >= len(rs) {
				return nil, &Error{pattern, off(i), `\ at the end escapes nothing`}
			}
			p.items = append(p.items, item{kind: literal, r: rs[i+1]})
			i += 2
		case '[':
			it, next, err := compileClass(rs, i)
			if err != nil {
				return nil, &Error{pattern, off(i), err.Error()}
			}
			p.items = append(p.items, it)
			i = next
		default:
			p.items = append(p.items, item{kind: literal, r: rs[i]})
			i++
		}
	}
	p.shape, p.lit = shapeOf(p.items)
	return p, nil
}

// shapeOf finds the shapes Match compares strings for. A literal U+FFFD
// keeps the general walk: it matches each byte of a name that is not
// UTF-8, which comparing bytes would not.
func shapeOf(items []item) (shape, string) {
	n := len(items)
	if n == 1 && items[0].kind == star {
		return anything, ""
	}
	lits := items
	sh := exact
	switch {
	case n > 0 && items[n-1].kind == star:
		lits, sh = items[:n-1], prefix
	case n > 0 && items[0].kind == star:
		lits, sh = items[1:], suffix
	}
	var b strings.Builder
	for _, it := range lits {
		if it.kind != literal || it.r == utf8.RuneError {
			return general, ""
		}
		b.WriteRune(it.r)
	}
	return sh, b.String()
}

// compileClass reads the class that opens at rs[start] == '[' and returns
// it with the index after its `]`.
func compileClass(rs []rune, start int) (item, int, error) {
	it := item{kind: class}
	i := start + 1
	if i < len(rs) && (rs[i] == '!' || rs[i] == '^') {
		it.negate = true
		i++
	}
	first := true
	member := func() (rune, bool) { // one member character at i
		if i >= len(rs) {
			return 0, false
		}
		if rs[i] == '\\' {
			if i+1 >= len(rs) {
				return 0, false
			}
			i += 2
			return rs[i-1], true
		}
		i++
		return rs[i-1], true
	}
	for {
		if i >= len(rs) {
			return it, 0, fmt.Errorf("[ is never closed")
		}
		if rs[i] == ']' && !first {
			return it, i + 1, nil
		}
		first = false
		lo, ok := member()
		if !ok {
			return it, 0, fmt.Errorf("[ is never closed")
		}
		hi := lo
		if i+1 < len(rs) && rs[i] == '-' && rs[i+1] != ']' {
			i++
			if hi, ok = member(); !ok {
				return it, 0, fmt.Errorf("[ is never closed")
			}
			if hi < lo {
				return it, 0, fmt.Errorf("range %c-%c runs backwards", lo, hi)
			}
		}
		it.ranges = append(it.ranges, [2]rune{lo, hi})
	}
}

// MustCompile is Compile for patterns known to be valid; it panics.
func MustCompile(pattern string) *Pattern {
	p, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return p
}

// Valid reports whether pattern compiles.
func Valid(pattern string) bool {
	_, err := Compile(pattern)
	return err == nil
}

// String returns the pattern's text.
func (p *Pattern) String() string { return p.text }

// Match reports whether the whole of name matches the pattern. It runs in
// O(len(pattern) × len(name)) at worst: a star is retried from the last
// star only (the classic greedy algorithm), never exponentially. It reads
// name's characters in place, as utf8.DecodeRuneInString reads them (a
// byte that is not UTF-8 is one U+FFFD, as converting to []rune makes
// it); patterns without a class or `?` compare strings.
func (p *Pattern) Match(name string) bool {
	switch p.shape {
	case exact:
		return name == p.lit
	case prefix:
		return strings.HasPrefix(name, p.lit)
	case suffix:
		return strings.HasSuffix(name, p.lit)
	case anything:
		return true
	}
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(name) {
		if pi < len(p.items) {
			it := &p.items[pi]
			if it.kind == star {
				starP, starS = pi, si
				pi++
				continue
			}
			r, w := rune(name[si]), 1
			if r >= utf8.RuneSelf {
				r, w = utf8.DecodeRuneInString(name[si:])
			}
			if it.matches(r) {
				pi++
				si += w
				continue
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last star take one more character and retry.
		if name[starS] < utf8.RuneSelf {
			starS++
		} else {
			_, w := utf8.DecodeRuneInString(name[starS:])
			starS += w
		}
		si = starS
		pi = starP + 1
	}
	for pi < len(p.items) && p.items[pi].kind == star {
		pi++
	}
	return pi == len(p.items)
}

func (it *item) matches(r rune) bool {
	switch it.kind {
	case literal:
		return it.r == r
	case any1:
		return true
	case class:
		in := false
		for _, rg := range it.ranges {
			if rg[0] <= r && r <= rg[1] {
				in = true
				break
			}
		}
		return in != it.negate
	}
	return false
}
