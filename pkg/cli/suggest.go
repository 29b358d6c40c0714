package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/internal/spell"
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
		d := spell.Distance(w, lc)
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
	if s := suggest(word, candidates); len(s) > 0 {
		return spell.Hint(s[0])
	}
	return ""
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
