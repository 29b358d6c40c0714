package settle

import (
	"errors"
	"fmt"
	"time"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// checker holds what decides where each row of a run goes (SPEC 4.3,
// 4.4): the fx table, the hosts --host selected and the last requested
// period. Run and Validate share it, so validate reports exactly the bad
// rows settle would.
type checker struct {
	ag       *agreement.Agreement
	rates    *fx.Table       // nil when the agreement has no fx
	selected map[string]bool // host ids; empty = all
	last     period.Period   // zero = no --period

	// closed, when set, names the periods a ledger has closed: their rows
	// are late (SPEC 9). allDays sums every currency per day, in the
	// original currency, for a ledger's sums.
	closed  func(period.Period) bool
	allDays bool

	// first and latest span the periods of the rows found, of every host:
	// the default requested periods (SPEC 5), which --host does not change.
	first, latest period.Period
	span          spanFiles // the files the span's ends came from

	found found  // which periods and hosts had rows, for the missing-report warnings
	reach *reach // validate only: the products each terms version carried

	lean bool // Options.Lean
}

// note widens the span of periods found to include p, a period a good row
// (settled or outside) falls in.
func (c *checker) note(p period.Period) {
	c.span.noteFile(c, p)
	if c.first.IsZero() || p.Before(c.first) {
		c.first = p
	}
	if c.latest.IsZero() || p.After(c.latest) {
		c.latest = p
	}
	c.found.period(p)
}

// newChecker loads the agreement's fx rates and resolves opts' hosts.
func newChecker(opts Options) (*checker, error) {
	ag := opts.Agreement
	c := &checker{ag: ag, selected: map[string]bool{}, lean: opts.Lean}
	if ag.FX != nil {
		src := opts.Files
		if src.FS == nil {
			// The rates file is named from the agreement's folder.
			src = workdir.Source{Dir: ag.WorkDir}
		}
		t, err := fx.LoadFor(src, ag.RatesPath(), ag.FX.Method, ag.Currency)
		if err != nil {
			return nil, err
		}
		c.rates = t
	}
	for _, h := range opts.Hosts {
		host := ag.Host(h)
		if host == nil {
			return nil, &UnknownHostError{Host: h, Agreement: ag.Path}
		}
		c.selected[host.ID] = true
	}
	if len(opts.Periods) > 0 {
		c.last = opts.Periods[len(opts.Periods)-1]
	}
	return c, nil
}

// verdict is where a row goes.
type verdict int

const (
	settled  verdict = iota // its figures count
	outside                 // after the last requested period, or of a host --host did not select
	rejected                // a bad row
	late                    // of a period a ledger has closed: settled there
)

// classify decides where a row the reader decoded goes; for a bad row it
// also returns the column at fault (as the file names it, or "") and the
// reason.
func (c *checker) classify(r *ingest.Row) (v verdict, column, reason string) {
	if len(c.selected) > 0 && !c.selected[r.Host.ID] {
		return outside, "", ""
	}
	if !c.last.IsZero() && r.Period.After(c.last) {
		return outside, "", ""
	}
	if r.Ignored {
		// A ledger row of a kind the format ignores: read and accounted
		// for, worth nothing.
		if c.closed != nil && c.closed(r.Period) {
			return late, "", ""
		}
		return settled, "", ""
	}
	terms := r.Host.TermsFor(r.Period)
	if terms == nil {
		return rejected, "", fmt.Sprintf("no terms of host %s cover %s", r.Host.ID, r.Period)
	}
	if terms.Rule(r.Product) == nil {
		return rejected, r.Column("product"), fmt.Sprintf("no rule of host %s's terms for %s matches product %q", r.Host.ID, r.Period, r.Product)
	}
	if r.Currency != c.ag.Currency {
		if c.rates == nil {
			return rejected, r.Column("currency"), fmt.Sprintf("revenue in %s but the agreement has no fx rates", r.Currency)
		}
		if _, err := c.rates.Rate(r.Currency, r.Date, r.Period); err != nil {
			return rejected, r.Column("currency"), err.Error()
		}
	}
	if c.reach != nil {
		c.reach.add(terms, r.Product)
	}
	if c.closed != nil && c.closed(r.Period) {
		return late, "", ""
	}
	return settled, "", ""
}

// keeper takes the rows a run settles: one by one, or summed by the
// reader's fast path.
type keeper interface {
	row(*ingest.Row)
	group(*ingest.Group)
	// newFile tells that the groups to come are of another file: a
	// Key.ProductNum names another product.
	newFile()
	// dailyRate lets the reader convert daily-fx rows itself (0: it must not).
	dailyRate(cur string, day time.Time, p period.Period) (int64, error)
}

// discard keeps nothing: validate only reads.
type discard struct{}

func (discard) row(*ingest.Row)     {}
func (discard) group(*ingest.Group) {}
func (discard) newFile()            {}
func (discard) dailyRate(string, time.Time, period.Period) (int64, error) {
	return 0, nil
}

// badRows is the collector of bad rows when there is no --rejects.
func badRows() *diag.Limited {
	return &diag.Limited{Noun: "bad rows"}
}

// read reads one file, classifying every row: rows to settle go to keep,
// bad rows to opts.Reject or, without it, to bad. It returns the file's
// reconciliation. An error is a problem with the file as a whole, or one
// returned by opts.Reject.
func (c *checker) read(path string, opts Options, bad *diag.Limited, keep keeper) (Input, error) {
	in := Input{}
	var rejectErr error
	onBad := func(b ingest.BadRow) {
		in.Rejected++
		if opts.Reject != nil {
			if rejectErr == nil {
				rejectErr = opts.Reject(b)
			}
			return
		}
		bad.Add(diag.Problem{Path: b.Path, Line: b.Line, Column: b.Column, Msg: b.Reason})
	}
	row := func(r *ingest.Row) error {
		switch v, column, reason := c.classify(r); v {
		case outside:
			c.note(r.Period)
			in.Outside++
		case rejected:
			header, comma := r.Header()
			onBad(ingest.BadRow{Path: path, Line: r.Line, Column: column, Reason: reason, Fields: r.Fields, Header: header, Comma: comma})
		case late:
			c.found.period(r.Period)
			in.Late++
			if !r.Ignored {
				keep.row(r)
			}
		default:
			c.note(r.Period)
			c.found.host(r.Host.ID, r.Period)
			in.Settled++
			if !r.Ignored {
				keep.row(r)
			}
		}
		return rejectErr
	}
	ropts := ingest.Options{Agreement: c.ag, Format: opts.Format, Stdin: opts.Stdin, Files: opts.Files, Warn: opts.Warn, Aggregate: c.aggregator(&in, keep), BlockSize: opts.BlockSize, Progress: opts.Progress, Context: opts.Context}
	if opts.RowByRow {
		ropts.Aggregate = nil
	}
	c.found.file = map[period.Period]bool{}
	c.span.cur = path
	keep.newFile()
	info, err := ingest.ReadFile(path, ropts, row, onBad)
	in.Input = info
	in.periods = c.found.file
	if err != nil {
		return in, err
	}
	return in, rejectErr
}

// aggregator lets the reader sum plain rows itself, per key, counting
// them in in and handing the sums to keep; a key whose rows are bad comes
// back row by row, so each is reported with its line.
func (c *checker) aggregator(in *Input, keep keeper) *ingest.Aggregator {
	return &ingest.Aggregator{
		Classify: func(k *ingest.Key) ingest.Verdict {
			r := ingest.Row{Host: k.Host, Product: k.Product, Currency: k.Currency, Date: k.Day, Period: k.Period, Ignored: k.Ignored}
			if k.Converted {
				r.Currency = c.ag.Currency // each row's rate was found on its own day
			}
			switch v, _, _ := c.classify(&r); v {
			case outside:
				return ingest.Outside
			case rejected:
				return ingest.Slow
			}
			return ingest.Keep
		},
		Group: func(g *ingest.Group) {
			if c.closed != nil && c.closed(g.Period) {
				c.found.period(g.Period)
				in.Late += g.Rows
			} else {
				c.note(g.Period)
				c.found.host(g.Host.ID, g.Period)
				in.Settled += g.Rows
			}
			if !g.Ignored {
				keep.group(g)
			}
		},
		Outside: func(k *ingest.Key, rows int) {
			c.note(k.Period)
			in.Outside += rows
		},
		// Only daily fx needs a row's day: everything else is settled
		// per period.
		ByDay: func(cur string) bool {
			return c.allDays || cur != c.ag.Currency && c.rates != nil && c.rates.Method() == fx.Daily
		},
		Rate: keep.dailyRate,
	}
}

// Checked is one input file as Validate read it.
type Checked struct {
	Input       // the reconciliation settle would print
	Err   error // a problem with the file as a whole, or nil
}

// OK reports whether the file was read to its end without a bad row
// (rejecting: without a problem).
func (c Checked) OK(rejecting bool) bool { return c.Err == nil && (rejecting || c.Rejected == 0) }

// Validate reads every file as Run would — header, format detection, every
// row, and the checks that need the terms (a version covering the period,
// a rule matching the product, an fx rate) — without settling anything.
// It goes on after a bad file, and returns every file's reconciliation
// with an error listing every problem (the first diag.MaxListed, then a
// count), or nil. With opts.Reject, bad rows go there instead of being
// problems, as in Run.
func Validate(opts Options, files []string) ([]Checked, error) {
	c, err := newChecker(opts)
	if err != nil {
		return nil, err
	}
	c.reach = &reach{}
	probs := &diag.Limited{}
	if err := samePath(opts.Files, files); err != nil {
		return nil, err
	}
	var dups duplicates
	var out []Checked
	keep := newChecking(c) // checking.go
	for _, path := range files {
		in, err := c.read(path, opts, probs, keep)
		if in.Path == "" {
			in.Path = path
		}
		if err == nil {
			err = dups.seen(in)
		}
		if err != nil {
			var p diag.Problem
			if errors.As(err, &p) {
				probs.Add(p)
			} else {
				probs.Add(diag.Problem{Path: path, Msg: err.Error()})
			}
		}
		out = append(out, Checked{Input: in, Err: err})
	}
	if opts.Warn != nil {
		requested := opts.Periods
		if len(requested) == 0 {
			var err error
			if requested, err = c.defaultPeriods(opts); err != nil {
				var p diag.Problem
				if errors.As(err, &p) {
					probs.Add(p)
				}
			}
		}
		var read []Input
		for _, ch := range out {
			if ch.Err == nil {
				read = append(read, ch.Input)
			}
		}
		for _, msg := range c.missing(read, requested) {
			opts.Warn(msg)
		}
		for _, msg := range c.reach.warnings(c.ag) {
			opts.Warn(msg)
		}
	}
	return out, probs.Err()
}
