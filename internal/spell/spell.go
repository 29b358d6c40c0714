// Package spell measures how far a misspelt word is from the words a
// user could have meant, for the "did you mean" hints of the agreement
// decoder, the revenue header reader and the command line. Each caller
// keeps its own notion of "close enough"; the distance is shared.
package spell

import "fmt"

// Distance is the edit distance between a and b in runes, a swap of two
// neighbouring letters counting as one edit (optimal string alignment):
// "refnuds" is one edit from "refunds", as a reader would count it.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: the one before the previous is needed for swaps.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Hint is the hint naming the word meant: `did you mean "refunds"?`, or ""
// when there is none.
func Hint(meant string) string {
	if meant == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", meant)
}
