package ingest

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/llamashare/llamashare/internal/spell"
	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/textsafe"
)

// rejectsColumns are the leading columns of a --rejects file. A rejects
// file is the input's own header behind them, so that fixed rows can be
// fed back as they are: the reader skips them without a warning.
var rejectsColumns = [3]string{"file", "line", "reason"}

// isRejectsHeader reports whether a header starts as a rejects file does.
func isRejectsHeader(keys []string) bool {
	if len(keys) < len(rejectsColumns) {
		return false
	}
	for i, c := range rejectsColumns {
		if keys[i] != c {
			return false
		}
	}
	return true
}

// keysOf is the header's keys (key of each name).
func keysOf(rec []string) []string {
	keys := make([]string, len(rec))
	for i, h := range rec {
		keys[i] = key(h)
	}
	return keys
}

// uncells restores, in place, the cells of a rejects file's record that
// the rejects writer neutralised (textsafe.CSVCell), and returns it.
func uncells(rec []string) []string {
	for i, c := range rec {
		rec[i] = textsafe.CSVUncell(c)
	}
	return rec
}

// columnNotes is what a layout knows about the columns it does not read.
type columnNotes struct {
	format bool            // a declared format (else the canonical header)
	ignore map[string]bool // keys of the format's ignore_columns: no warning
	near   []string        // other headers a misspelt one may have meant: a format's mapped headers, or (canonical) every declared format's
}

// onlyMapped makes a declared format that maps columns read only those
// (SPEC 8): an unmapped optional field is not read even when the file has
// a column of its canonical name. The host is the one exception: a format
// that neither fixes it nor maps it reads the canonical `host` column
// (every row needs one). The agreement decoder makes sure a format
// mapping columns maps a date or period, the product and, unless it is a
// ledger, gross. A format that maps no columns reads the canonical
// header in its own layout (delimiter, skip_lines, decimal…).
func (l *layout) onlyMapped(f *agreement.Format) {
	l.cols.format = true
	for _, h := range f.IgnoreColumns {
		if l.cols.ignore == nil {
			l.cols.ignore = map[string]bool{}
		}
		l.cols.ignore[key(h)] = true
	}
	for _, h := range f.Columns {
		l.cols.near = append(l.cols.near, strings.TrimSpace(h))
	}
	sort.Strings(l.cols.near)
	if len(f.Columns) == 0 && !l.ledger {
		return
	}
	mapped := func(i int) bool { return strings.TrimSpace(f.Columns[fieldNames[i]]) != "" }
	for i := fDate; i < fAmount; i++ {
		if i != fHost && !mapped(i) {
			l.names[i] = ""
		}
	}
	var missing []string
	if l.names[fDate] == "" && l.names[fPeriod] == "" {
		missing = append(missing, "date (or period)")
	}
	if l.names[fProduct] == "" {
		missing = append(missing, "product")
	}
	if l.names[fGross] == "" && !l.ledger {
		missing = append(missing, "gross")
	}
	if len(missing) > 0 && l.compileEr == nil {
		l.compileEr = fmt.Errorf("format %q maps no %s column", f.Name, strings.Join(missing, ", "))
	}
}

// formatHeaders lists the mapped headers of the declared formats names.
func formatHeaders(a *agreement.Agreement, names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		f := a.Formats[n]
		for _, h := range append(sortedValues(f.Columns), f.Amount, f.Kind) {
			h = strings.TrimSpace(h)
			if h != "" && !seen[key(h)] {
				seen[key(h)] = true
				out = append(out, h)
			}
		}
	}
	return out
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// maxListed is how many unread columns a warning names before counting
// the rest; a column with a suggestion is always named.
const maxListed = 5

// ignoredWarning is the one warning of a file about the columns it does
// not read (ignored, as written in the header): each is named, up to
// maxListed, with a "did you mean" when it is close to a field or header
// the layout reads and the file lacks, or is a canonical field name a
// format does not map.
func (d *decoder) ignoredWarning(ignored []string) string {
	l := d.l
	present := map[string]bool{}
	for _, h := range d.header {
		present[squash(h)] = true
	}
	// What a misspelt header may have meant: fields and headers the
	// layout would read and that the file lacks.
	var want []string
	for i := fDate; i < nField; i++ {
		if l.names[i] != "" && d.col[i] < 0 {
			want = append(want, l.names[i])
		}
	}
	for _, h := range l.cols.near {
		if !present[squash(h)] {
			want = append(want, h)
		}
	}
	var named []string
	plain := 0
	for _, h := range ignored {
		note := ""
		if i := fieldIndex(key(h)); l.cols.format && i >= 0 && l.names[i] == "" {
			note = fmt.Sprintf(" (map it as %s: %s to read it)", fieldNames[i], h)
			if i == fHost && l.host != nil {
				note = " (the format fixes the host)"
			}
		} else if s := closest(h, want); s != "" {
			note = fmt.Sprintf(" (did you mean %q?)", s)
		}
		if note == "" {
			plain++
			if len(named) >= maxListed {
				continue
			}
		}
		named = append(named, fmt.Sprintf("%q%s", h, note))
	}
	msg := fmt.Sprintf("ignoring %s %s", plural(len(ignored), "column"), strings.Join(named, ", "))
	if more := len(ignored) - len(named); more > 0 {
		msg += fmt.Sprintf(" and %d more", more)
	}
	if l.cols.format {
		it := "it"
		if len(ignored) > 1 {
			it = "them"
		}
		msg += fmt.Sprintf("; format %s does not map %s (its ignore_columns silences this)", l.name, it)
	}
	return msg
}

// squash is a header without case, spaces, '_' and '-', to compare
// spellings.
func squash(h string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '\t':
			return -1
		}
		return unicode.ToLower(r)
	}, h)
}

// closest returns the candidate a header most likely meant: one at an
// edit distance of at most a quarter of its length (at least 1) once
// squashed, the nearest first; "" when none is.
func closest(h string, candidates []string) string {
	s := squash(h)
	best, bestD := "", -1
	for _, c := range candidates {
		cs := squash(c)
		limit := max(1, max(len(cs), len(s))/4)
		if dist := spell.Distance(s, cs); dist <= limit && dist < len(s) && (bestD < 0 || dist < bestD) {
			best, bestD = c, dist
		}
	}
	return best
}

// compileLedger reads a ledger format's amount, kind and kinds: one amount
// column typed by a kind column (units may keep a column of their own).
func (l *layout) compileLedger(f *agreement.Format, fail func(string, ...any)) {
	if f.Amount == "" || f.Kind == "" {
		fail("a ledger format needs both amount and kind")
	}
	l.ledger = true
	for i := firstFigure; i <= lastFigure; i++ {
		if i == fUnits && strings.TrimSpace(f.Columns["units"]) != "" {
			continue // units mapped to a column of their own: read on every row
		}
		l.names[i] = ""
	}
	l.names[fAmount] = strings.TrimSpace(f.Amount)
	l.names[fKind] = strings.TrimSpace(f.Kind)
	l.kinds = map[string]int{}
	l.kindsLow = map[string]int{}
	for _, v := range sortedKeys(f.Kinds) {
		target := f.Kinds[v]
		i := kindIgnore
		if target != "ignore" {
			i = fieldIndex(target)
			if i < firstFigure || i > lastFigure {
				fail("kind %q: unknown figure %q", v, target)
				continue
			}
		}
		k := strings.TrimSpace(v)
		l.kinds[k] = i
		if _, dup := l.kindsLow[strings.ToLower(k)]; !dup {
			l.kindsLow[strings.ToLower(k)] = i
		}
	}
}
