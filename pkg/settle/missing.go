package settle

import (
	"fmt"

	"github.com/llamashare/llamashare/pkg/period"
)

// found records where the good rows of a run fell (SPEC 8, missing
// reports): the periods of every row, the hosts and periods of the rows
// settled, and the periods of the file being read. It is fed once per
// row or per summed key, never from the reader's workers.
type found struct {
	periods map[period.Period]bool
	hosts   map[hp]bool
	file    map[period.Period]bool
}

func (f *found) period(p period.Period) {
	if f.periods == nil {
		f.periods = map[period.Period]bool{}
	}
	f.periods[p] = true
	if f.file != nil {
		f.file[p] = true
	}
}

func (f *found) host(id string, p period.Period) {
	if f.hosts == nil {
		f.hosts = map[hp]bool{}
	}
	f.hosts[hp{id, p}] = true
}

// missing returns the warnings of SPEC 8 about reports that may be
// missing, in this order: each file none of whose rows falls in a
// requested period (an empty file says so); each requested period without
// a row in any file; each host (of those reported) whose terms cover a
// requested period without a row from it, unless that version says
// `reports: none-expected`.
func (c *checker) missing(inputs []Input, requested []period.Period) []string {
	var out []string
	span := ""
	switch len(requested) {
	case 0:
	case 1:
		span = requested[0].String()
	default:
		span = requested[0].String() + ".." + requested[len(requested)-1].String()
	}
	for _, in := range inputs {
		hit := false
		for _, p := range requested {
			if in.periods[p] {
				hit = true
				break
			}
		}
		switch {
		case hit || in.Late > 0: // late rows (SPEC 9) are a closed period's, not a stray file
		case in.Rows == 0:
			out = append(out, fmt.Sprintf("%s: no data rows — an empty report?", in.Path))
		case span == "":
			out = append(out, fmt.Sprintf("%s: none of its %s can be settled", in.Path, rowsWord(in.Rows)))
		default:
			out = append(out, fmt.Sprintf("%s: none of its %s falls in the requested %s %s", in.Path, rowsWord(in.Rows), periodsWord(len(requested)), span))
		}
	}
	if len(inputs) == 0 {
		// Zero statements asked for with -p and no files: nothing was
		// expected to be read.
		return out
	}
	for _, p := range requested {
		if !c.found.periods[p] {
			out = append(out, fmt.Sprintf("no rows in %s in any input — a missing report?", p))
		}
	}
	for _, h := range c.ag.Hosts {
		if len(c.selected) > 0 && !c.selected[h.ID] {
			continue
		}
		var gaps []string
		for _, p := range requested {
			t := h.TermsFor(p)
			if t == nil || !t.ExpectsReports() || c.found.hosts[hp{h.ID, p}] {
				continue
			}
			gaps = append(gaps, p.String())
		}
		for _, p := range gaps {
			out = append(out, fmt.Sprintf("%s: no rows in %s — a missing report?", h.ID, p))
		}
	}
	return out
}

func rowsWord(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

func periodsWord(n int) string {
	if n == 1 {
		return "period"
	}
	return "periods"
}
