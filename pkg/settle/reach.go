package settle

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/glob"
)

// reach records, for validate, which products the rows of each terms
// version carried (SPEC 8: a rule no product reached, a product that fell
// through to a catch-all). classify feeds it from the reader's workers,
// once per distinct key on the fast path: hence the lock.
type reach struct {
	mu       sync.Mutex
	products map[*agreement.Terms]map[string]bool
}

func (r *reach) add(t *agreement.Terms, product string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.products == nil {
		r.products = map[*agreement.Terms]map[string]bool{}
	}
	if r.products[t] == nil {
		r.products[t] = map[string]bool{}
	}
	r.products[t][product] = true
}

// warnings lists, per host and terms version in agreement order that had
// rows, each rule no product reached, then each product that a catch-all
// rule took only because an earlier rule's pattern missed it by case or
// spacing.
func (r *reach) warnings(ag *agreement.Agreement) []string {
	var out []string
	for _, h := range ag.Hosts {
		for _, t := range h.Terms {
			products := r.products[t]
			if len(products) == 0 {
				continue // no row under this version: the missing-report warnings speak of it
			}
			names := make([]string, 0, len(products))
			for p := range products {
				names = append(names, p)
			}
			sort.Strings(names)
			out = append(out, termsWarnings(h.ID, t, names)...)
		}
	}
	return out
}

func termsWarnings(host string, t *agreement.Terms, products []string) []string {
	var out []string
	where := fmt.Sprintf("host %s, terms from %s", host, t.From)
	reached := map[*agreement.Rule]bool{}
	for _, p := range products {
		reached[t.Rule(p)] = true
	}
	for _, rule := range t.Rules {
		if !reached[rule] {
			out = append(out, fmt.Sprintf("%s: rule %q (products %s) matched no product in the files", where, rule.Name, quoteAll(rule.Products)))
		}
	}
	for _, p := range products {
		rule := t.Rule(p)
		if rule == nil || !catchAll(rule) {
			continue
		}
		for _, earlier := range t.Rules[:rule.Index] {
			if catchAll(earlier) {
				continue
			}
			if g, ok := looseMatch(earlier, p); ok {
				out = append(out, fmt.Sprintf("%s: product %q fell through to catch-all rule %q; rule %q's pattern %q matches it but for case or spacing", where, p, rule.Name, earlier.Name, g))
				break
			}
		}
	}
	return out
}

// catchAll reports whether a rule takes every product: one of its
// patterns is only stars.
func catchAll(r *agreement.Rule) bool {
	for _, g := range r.Products {
		if strings.Trim(g, "*") == "" {
			return true
		}
	}
	return false
}

// looseMatch returns the first of rule's patterns that matches product once
// both are lower-cased and stripped of spaces, '-', '_' and '.'.
func looseMatch(rule *agreement.Rule, product string) (string, bool) {
	lp := loose(product)
	for _, g := range rule.Products {
		if p, err := glob.Compile(loose(g)); err == nil && p.Match(lp) {
			return g, true
		}
	}
	return "", false
}

func loose(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_', '.', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
