package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ledger"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// ledgerFlag adds --ledger (config key and env LLAMASHARE_LEDGER).
func ledgerFlag(cmd *cobra.Command) {
	cmd.Flags().String("ledger", "", "the ledger `DIR` of closed periods (SPEC 9): closed periods come from it, their late rows become prior-period adjustments")
	_ = cmd.RegisterFlagCompletionFunc("ledger", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
}

// ledgerFlags adds --ledger and --replace to a command that reads revenue.
func ledgerFlags(cmd *cobra.Command) {
	ledgerFlag(cmd)
	cmd.Flags().StringArray("replace", nil, "`OLD=NEW`: input FILE NEW supersedes the closed input OLD (its file name or a sha256 prefix) (repeatable; needs --ledger)")
}

// settleRun settles files: with the ledger when --ledger is set (SPEC 9),
// else as settle always has.
func (g *globals) settleRun(opts settle.Options, files []string) (*settle.Result, error) {
	dir := g.path("ledger")
	if dir == "" {
		if len(g.list("replace")) > 0 {
			return nil, flagErrorf("--replace needs --ledger DIR")
		}
		return g.run(opts, files)
	}
	_, statErr := g.io.dir().Stat(dir)
	l, err := ledger.LoadIn(g.io.dir(), dir)
	if err != nil {
		return nil, err
	}
	closed, open := splitClosed(l, opts.Periods)
	if len(closed) > 0 {
		if len(open) > 0 || len(files) > 0 {
			return nil, flagErrorf("--period %s is closed in %s: it shows as issued, from the ledger alone; ask for it without input files and without open periods", closed[0], dir)
		}
		res, version, err := issued(l, closed, opts.Hosts)
		g.issuedBy = version
		return res, err
	}
	r, err := g.ledgerRun(l, opts, files)
	if err != nil {
		return nil, err
	}
	res, err := r.Settle()
	if err == nil && errors.Is(statErr, fs.ErrNotExist) {
		g.warnNoLedger(dir, opts.Agreement, res.Periods)
	}
	return res, err
}

// warnNoLedger warns when --ledger names a folder that does not exist yet
// the run settles a period after the first one: before the first close
// that is expected, after it a typo that settles closed periods as if
// nothing had been issued.
func (g *globals) warnNoLedger(dir string, ag *agreement.Agreement, ps []period.Period) {
	first := ledger.FirstOpen(ag, &ledger.Ledger{})
	for _, p := range ps {
		if first.Before(p) {
			g.warn(fmt.Sprintf("ledger %s does not exist: no period is closed, yet %s comes after the first period %s (close -p %s creates it)", dir, p, first, first))
			return
		}
	}
}

// splitClosed splits requested periods into those the ledger has closed
// and the others.
func splitClosed(l *ledger.Ledger, ps []period.Period) (closed, open []period.Period) {
	for _, p := range ps {
		if l.Closed(p) {
			closed = append(closed, p)
		} else {
			open = append(open, p)
		}
	}
	return closed, open
}

// issued re-derives the settlements issued for closed periods from the
// ledger alone (what `ledger verify` checks), each under the agreement it
// was closed with.
func issued(l *ledger.Ledger, ps []period.Period, hosts []string) (*settle.Result, string, error) {
	var out *settle.Result
	version := ""
	for _, p := range ps {
		for i, e := range l.Entries {
			if e.PeriodOf() != p {
				continue
			}
			res, err := l.Rederive(i, hosts)
			if err != nil {
				return nil, "", fmt.Errorf("%s: %v", e.File(), err)
			}
			version = e.Tool.Version
			if out == nil {
				out = res
				continue
			}
			out.Periods = append(out.Periods, res.Periods...)
			out.Settlements = append(out.Settlements, res.Settlements...)
			out.Inputs = append(out.Inputs, res.Inputs...)
		}
	}
	sort.SliceStable(out.Settlements, func(i, j int) bool {
		return out.Settlements[i].Host.ID < out.Settlements[j].Host.ID
	})
	out.Totals = settle.Totals{}
	for _, s := range out.Settlements {
		out.Totals.Gross = out.Totals.Gross.Add(s.Gross)
		out.Totals.Basis = out.Totals.Basis.Add(s.Basis)
		out.Totals.Share = out.Totals.Share.Add(s.Share)
		out.Totals.Payable = out.Totals.Payable.Add(s.Payable)
	}
	return out, version, nil
}

// toolVersion is the version to print on statements: the one that closed
// the periods shown when they come from the ledger, so that they render as
// issued.
func (g *globals) toolVersion() string {
	if g.issuedBy != "" {
		return g.issuedBy
	}
	return Version()
}

// ledgerRun reads files against the ledger: rows of closed periods are
// late, --replace swaps closed inputs, and a file the ledger already holds
// is refused (its rows would count twice).
func (g *globals) ledgerRun(l *ledger.Ledger, opts settle.Options, files []string) (*ledger.Run, error) {
	ag := opts.Agreement
	replaces, err := g.replacements(l, files)
	if err != nil {
		return nil, err
	}
	col, err := settle.Collect(opts, l.Closed, files)
	if err != nil {
		var bad *settle.BadRowsError
		if errors.As(err, &bad) {
			return nil, withReconciliation(err, bad.Inputs)
		}
		return nil, err
	}
	held := map[string]string{}
	for _, e := range l.Entries {
		for _, in := range e.Inputs {
			held[in.SHA256] = filepath.Base(e.File())
		}
	}
	r := &ledger.Run{Agreement: ag, Ledger: l, Periods: opts.Periods, Hosts: opts.Hosts, Warn: g.warn}
	for _, c := range col.Files {
		if entry, ok := held[c.SHA256]; ok && c.SHA256 != "" {
			return nil, diag.Problem{Path: c.Path, Msg: fmt.Sprintf("already in the ledger (%s, sha256 %.12s…): its rows would count twice", entry, c.SHA256),
				Hint: "give only new reports; a corrected report supersedes a closed one with --replace OLD=NEW"}
		}
		r.Inputs = append(r.Inputs, ledger.NewInput{Collected: c, Replaces: replaces[c.Path]})
	}
	if ag.FX != nil {
		if r.Rates, err = fx.LoadFor(workdir.Source{Dir: ag.WorkDir}, ag.RatesPath(), ag.FX.Method, ag.Currency); err != nil {
			return nil, err
		}
	}
	ps := opts.Periods
	if len(ps) == 0 {
		// The periods Settle will report: first open .. latest found.
		if ps, err = defaultOpen(r); err != nil {
			return nil, err
		}
	}
	for _, msg := range col.Missing(ps) {
		g.warn(msg)
	}
	return r, nil
}

// defaultOpen is the requested periods of a ledger run without --period.
func defaultOpen(r *ledger.Run) ([]period.Period, error) {
	open := ledger.FirstOpen(r.Agreement, r.Ledger)
	latest, from := open, ""
	for _, in := range r.Inputs {
		for _, k := range in.Sums.Keys() {
			if p, _, err := k.When(r.Agreement.Period); err == nil && p.After(latest) {
				latest, from = p, in.Path
			}
		}
	}
	// The bound of settle's default periods (settle.MaxDefaultYears).
	limit := settle.MaxDefaultYears * open.Kind.PerYear()
	var ps []period.Period
	for p := open; !p.After(latest); p = p.Next() {
		if len(ps) == limit {
			return nil, diag.Problem{Path: from, Msg: fmt.Sprintf("a row in %s stretches the default periods to %s..%s, more than %d years: a mistyped date?", latest, open, latest, settle.MaxDefaultYears),
				Hint: "fix the row, or name the periods to settle with -p"}
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// replacements resolves --replace OLD=NEW: NEW must be one of files, OLD
// a closed input not yet replaced (file name, path or sha256 prefix of at
// least 8 digits). It returns NEW's path → OLD's sha256.
func (g *globals) replacements(l *ledger.Ledger, files []string) (map[string]string, error) {
	out := map[string]string{}
	gone := map[string]bool{}
	var inputs []ledger.Input
	for _, e := range l.Entries {
		for _, in := range e.Inputs {
			inputs = append(inputs, in)
			if in.Replaces != nil {
				gone[*in.Replaces] = true
			}
		}
	}
	for _, spec := range g.list("replace") {
		old, nw, ok := strings.Cut(spec, "=")
		if !ok || old == "" || nw == "" {
			return nil, flagErrorf("--replace %q: want OLD=NEW", spec)
		}
		found := false
		for _, f := range files {
			if f == nw || filepath.Clean(f) == filepath.Clean(nw) {
				nw, found = f, true
				break
			}
		}
		if !found {
			return nil, flagErrorf("--replace %s: %s is not one of the input files", spec, nw)
		}
		var match []ledger.Input
		for _, in := range inputs {
			if gone[in.SHA256] {
				continue
			}
			if in.Path == old || filepath.Base(in.Path) == old || (len(old) >= 8 && strings.HasPrefix(in.SHA256, strings.ToLower(old))) {
				match = append(match, in)
			}
		}
		switch len(match) {
		case 0:
			return nil, flagErrorf("--replace %s: no closed input %s in ledger %s", spec, old, l.Dir)
		case 1:
		default:
			return nil, flagErrorf("--replace %s: %d closed inputs match %s: name it by a sha256 prefix", spec, len(match), old)
		}
		if _, dup := out[nw]; dup {
			return nil, flagErrorf("--replace %s: %s replaces two inputs", spec, nw)
		}
		out[nw] = match[0].SHA256
		gone[match[0].SHA256] = true
	}
	return out, nil
}
