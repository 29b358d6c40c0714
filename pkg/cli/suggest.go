package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// suggest returns the candidates closest to word: those within an edit
// distance of a third of its length (at least 1, at most 3), or that it is
// a prefix of, closest first. Case is ignored.
func suggest(word string, candidates []string) []string {
	w := strings.ToLower(word)
	limit := len(w) / 3
	if limit < 1 {
		limit = 1
	}
	if limit > 3 {
		limit = 3
	}
	type scored struct {
		s string
		d int
	}
	var found []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if seen[lc] || lc == w {
			continue
		}
		d := levenshtein(w, lc)
		if d <= limit || (len(w) >= 2 && strings.HasPrefix(lc, w)) {
			seen[lc] = true
			found = append(found, scored{c, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].d < found[j].d })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.s
	}
	return out
}

// didYouMean is the hint for word among candidates, or "".
func didYouMean(word string, candidates []string) string {
	s := suggest(word, candidates)
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", s[0])
}

// levenshtein is the edit distance between a and b, a swap of two
// neighbouring letters counting as one edit (optimal string alignment).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// flagErrorFunc turns pflag's parse errors into usage errors, with a
// "did you mean" for a misspelt long flag.
func flagErrorFunc(c *cobra.Command, err error) error {
	const prefix = "unknown flag: --"
	msg := err.Error()
	if strings.HasPrefix(msg, prefix) {
		name := strings.TrimPrefix(msg, prefix)
		var names []string
		c.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		c.InheritedFlags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if s := suggest(name, names); len(s) > 0 {
			return &flagError{err: err, hint: fmt.Sprintf("did you mean --%s?", s[0])}
		}
	}
	return &flagError{err: err}
}
