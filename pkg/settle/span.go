package settle

import (
	"errors"
	"fmt"
	"sort"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/period"
)

// MaxDefaultYears bounds the default requested periods (no --period): the
// rows found may span at most this many years of periods (40 quarters,
// 120 months, 10 years). A typo'd date (9025-01-05 beside 2025's rows)
// otherwise asked for 28,000 quarters per host: seconds, gigabytes and a
// statement file per period. The rule depends on the data only, never on
// the day of the run, so an audit re-run decides the same.
const MaxDefaultYears = 10

// spanFiles remembers the file of the row that made the span's first and
// latest period, for the message.
type spanFiles struct {
	cur           string // the file being read
	first, latest string
}

// noteFile is note's record of where the span's ends came from.
func (s *spanFiles) noteFile(c *checker, p period.Period) {
	if c.first.IsZero() || p.Before(c.first) {
		s.first = s.cur
	}
	if c.latest.IsZero() || p.After(c.latest) {
		s.latest = s.cur
	}
}

// defaultPeriods are the requested periods when none were asked for:
// every period from the first to the latest found (SPEC 5), refused when
// that is more than MaxDefaultYears.
func (c *checker) defaultPeriods(opts Options) ([]period.Period, error) {
	if c.first.IsZero() {
		return nil, nil
	}
	limit := MaxDefaultYears * c.first.Kind.PerYear()
	var out []period.Period
	for p := c.first; !p.After(c.latest); p = p.Next() {
		if len(out) == limit {
			return nil, c.spanError(opts, limit)
		}
		out = append(out, p)
	}
	return out, nil
}

// spanError names the row at the isolated end of the span: the side of
// the widest gap between periods with rows that has fewer such periods
// (the later side on a tie), and asks for -p.
func (c *checker) spanError(opts Options, limit int) error {
	found := make([]period.Period, 0, len(c.found.periods))
	for p := range c.found.periods {
		found = append(found, p)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Before(found[j]) })
	gap, at := -1, 0
	for i := 1; i < len(found); i++ {
		if g := distance(found[i-1], found[i]); g > gap {
			gap, at = g, i
		}
	}
	odd, path, other := c.latest, c.span.latest, c.first
	if len(found) > 1 && at < len(found)-at {
		odd, path, other = c.first, c.span.first, c.latest
	}
	line := lineOf(opts, c, path, odd)
	return diag.Problem{Path: path, Line: line,
		Msg: fmt.Sprintf("a row in %s stretches the default periods to %s..%s, more than %d years (%d %ss): a mistyped date?",
			odd, c.first, c.latest, MaxDefaultYears, limit, c.first.Kind),
		Hint: fmt.Sprintf("fix the row, or name the periods to settle with -p (the other rows reach %s)", other)}
}

// distance is the number of periods from p to q (q after p).
func distance(p, q period.Period) int {
	n := 0
	for ; p.Before(q) && n <= 1<<20; p = p.Next() {
		n++
	}
	return n
}

// lineOf finds the line of the first row of path in period p, reading it
// again row by row (only on this error path); 0 for standard input.
func lineOf(opts Options, c *checker, path string, p period.Period) int {
	if path == "-" || path == "" {
		return 0
	}
	found := errors.New("found")
	line := 0
	ropts := ingest.Options{Agreement: c.ag, Format: opts.Format, Files: opts.Files, Context: opts.Context}
	_, _ = ingest.ReadFile(path, ropts, func(r *ingest.Row) error {
		if r.Period == p {
			line = r.Line
			return found
		}
		return nil
	}, func(ingest.BadRow) {})
	return line
}

// checkDates refuses a due date after 9999-12-31, which no date format
// (nor Excel) can hold: a period of 9999 with due_days reaching into 10000.
func checkDates(res *Result) error {
	for _, s := range res.Settlements {
		if s.DueDate != nil && s.DueDate.Year() > 9999 {
			return fmt.Errorf("host %s, %s: the due date %s falls after 9999-12-31, the last date llamashare writes: settle an earlier period",
				s.Host.ID, s.Period, s.DueDate.Format("2006-01-02"))
		}
	}
	return nil
}
