package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/balance"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/ledger"
	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/settle"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// pathList is a repeatable file setting: paths set in the config file
// are taken from the config file's folder, as path does.
func (g *globals) pathList(key string) []string {
	ps := g.list(key)
	if g.origin(key) != fromConfig || g.config.dir == "" {
		return ps
	}
	for i, p := range ps {
		if !filepath.IsAbs(p) && p != "-" {
			ps[i] = filepath.Join(g.config.dir, p)
		}
	}
	return ps
}

// readPayments reads the --payments files (SPEC 10). reject, when set,
// takes bad rows (--rejects); otherwise a bad row fails the run after the
// reconciliation of the files read is printed.
func (g *globals) readPayments(ag *agreement.Agreement, rates *fx.Table, files []string, reject func(ingest.BadRow) error) ([]payments.Payment, []payments.Input, error) {
	if rates == nil {
		var err error
		if rates, err = payments.LoadRates(ag); err != nil {
			return nil, nil, err
		}
	}
	ps, ins, err := payments.Read(files, payments.Options{
		Agreement: ag, Rates: rates, Stdin: g.io.In, Reject: reject, Files: workdir.Source{Dir: g.io.dir()},
		Warn: g.warn,
	})
	if err != nil {
		var lim *diag.Limited
		if errors.As(err, &lim) {
			// After the list of bad rows: how every row was accounted for.
			var b strings.Builder
			printPaymentsReconciliation(&b, ins, nil)
			b.WriteString("hint: use --rejects PATH to set the bad rows aside (to fix and feed back) and go on")
			return nil, nil, &tailError{err: err, tail: b.String()}
		}
		return nil, nil, err
	}
	return ps, ins, nil
}

// printPaymentsReconciliation accounts for every payment row read: rows =
// applied + after the as-of date + rejected (after is nil when no date
// limits them).
func printPaymentsReconciliation(w io.Writer, ins []payments.Input, after map[string]int) {
	for _, in := range ins {
		late := after[in.Path]
		applied := in.Rows - in.Rejected - late
		if after == nil {
			fmt.Fprintf(w, "%s: %s = %d read + %d rejected\n", in.Path, count(in.Rows, "payment row"), applied, in.Rejected)
			continue
		}
		fmt.Fprintf(w, "%s: %s = %d applied + %d after the as-of date + %d rejected\n", in.Path, count(in.Rows, "payment row"), applied, late, in.Rejected)
	}
}

// issuedFromResult takes a run's settlements as issued statements, dated
// their period's last day (a run without a ledger records no issue date).
// With a ledger (SPEC 9) the statements it issued come first, dated their
// close day: an account's balance before a statement counts every earlier
// statement, not only those of this run.
func (g *globals) issuedFromResult(res *settle.Result) ([]balance.Statement, error) {
	var out []balance.Statement
	closed := map[string]bool{}
	if dir := g.path("ledger"); dir != "" {
		l, err := ledger.LoadIn(g.io.dir(), dir)
		if err != nil {
			return nil, err
		}
		for _, is := range l.Issued() {
			out = append(out, balance.Statement{Host: is.Host, Period: is.Period, Issued: is.ClosedOn,
				Payable: is.Payable, PriorAdjustments: is.PriorAdjustments, DueDate: is.DueDate})
			closed[is.Host+" "+is.Period.String()] = true
		}
	}
	for _, s := range res.Settlements {
		if !closed[s.Host.ID+" "+s.Period.String()] {
			out = append(out, balance.Statement{Host: s.Host.ID, Period: s.Period, Payable: s.Payable, DueDate: s.DueDate})
		}
	}
	return out, nil
}
