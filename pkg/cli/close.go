package cli

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ledger"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/report"
	"github.com/llamashare/llamashare/pkg/settle"
)

// closeOpts holds the arguments of `close`; its flags are settings.
type closeOpts struct {
	g     *globals
	files []string
}

func newCloseCmd(g *globals) *cobra.Command {
	o := &closeOpts{g: g}
	cmd := &cobra.Command{
		Use:   "close -p PERIOD --ledger DIR [flags] [FILE...]",
		Short: "Close a period: settle it strictly and record the issued settlements in the ledger",
		Long: `Close settles PERIOD strictly (every warning is an error) with the ledger's
closed periods and FILEs, and writes DIR/PERIOD.json: the period, the close
date, the sha256 of the previous entry, the agreement's and fx rates' text,
every input's sha256, row counts and sums (per host, product, currency and
date), and the settlements as issued, with any prior-period adjustments.
It prints the issued settlement.

It refuses a period that is already closed, or that is not the next one
(the period after the last entry; for an empty ledger, the first period of
any host's terms). The entry is written to a hidden temporary file and
linked into place only when complete: of two closes of one period exactly
one succeeds, and a close that is killed leaves the ledger as it was.

With --rejects, bad rows go to the rejects file (written only when the
entry is) and are counted rejected in the entry; without it they refuse
the close.`,
		Example: `  llamashare close -a quarter-close/agreement.yaml -p 2025-Q1 --ledger ledger quarter-close/2025-q1-*.csv
  llamashare close -a quarter-close/agreement.yaml -p 2025-Q2 --ledger ledger --on 2025-07-02 quarter-close/2025-q2-*.csv quarter-close/late/aws-2025-q1-late.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			return runClose(o)
		},
	}
	addInputFlags(cmd, g)
	ledgerFlags(cmd)
	rejectsFlag(cmd)
	cmd.Flags().String("on", "", "the close `DATE` recorded (YYYY-MM-DD; default today)")
	cmd.Flags().StringP("output", "o", "", "print the issued settlement as `FORMAT`: table|csv|json|md (default table)")
	return cmd
}

// closeFlags reads close's own flags: --ledger, --output (table by
// default) and --on (today by default).
func (o *closeOpts) closeFlags() (dir, format string, on time.Time, err error) {
	g := o.g
	dir = g.path("ledger")
	if dir == "" {
		return "", "", on, flagErrorf("close needs --ledger DIR")
	}
	format = g.str("output")
	switch format {
	case "":
		format = "table"
	case "table", "csv", "json", "md":
	default:
		return "", "", on, flagErrorf("--output %q: want table, csv, json or md", format)
	}
	on = time.Now().UTC()
	if s := g.str("on"); s != "" {
		d, err := period.ParseDate(s)
		if err != nil {
			return "", "", on, flagErrorf("--on %q: %v", s, err)
		}
		on = d
	}
	return dir, format, on, nil
}

// closable refuses a period that is closed or is not the next one to
// close in the ledger l (in dir).
func closable(ag *agreement.Agreement, l *ledger.Ledger, p period.Period, dir string) error {
	if e := l.Entry(p); e != nil {
		return fmt.Errorf("%s is already closed (%s, closed on %s): nothing written", p, e.File(), e.ClosedOn)
	}
	if next := ledger.FirstOpen(ag, l); p != next {
		return fmt.Errorf("cannot close %s: the next period to close in %s is %s; nothing written", p, dir, next)
	}
	return nil
}

func runClose(o *closeOpts) error {
	g := o.g
	dir, format, on, err := o.closeFlags()
	if err != nil {
		return err
	}
	ag, opts, err := g.prepare(o.files, "close")
	if err != nil {
		return err
	}
	if len(opts.Periods) != 1 {
		return flagErrorf("close needs exactly one --period")
	}
	if len(opts.Hosts) > 0 {
		return flagErrorf("close settles every host: drop --host")
	}
	g.v.Set("strict", true) // SPEC 9: close settles strictly
	l, err := ledger.LoadIn(g.io.dir(), dir)
	if err != nil {
		return err
	}
	p := opts.Periods[0]
	if err := closable(ag, l, p, dir); err != nil {
		return err
	}
	// --rejects (SPEC 8: every command that reads revenue): bad rows set
	// aside are counted `rejected` in the entry, not a warning; the
	// rejects file lands only with the entry.
	set := g.outputSet(ag, o.files)
	defer set.Abort()
	rejects, err := g.openRejects(set, &opts)
	if err != nil {
		return err
	}
	r, err := g.ledgerRun(l, opts, o.files)
	if err != nil {
		return err
	}
	// A retroactive amendment is told, not refused: closing under amended
	// terms is how they take effect.
	r.Warn = func(msg string) { fmt.Fprintln(g.io.ErrOut, "warning: "+msg) }
	src, err := ledger.ReadSources(r)
	if err != nil {
		return err
	}
	e, res, err := ledger.Close(r, p, on, src, Version())
	if err != nil {
		return err
	}
	printReconciliation(g.io.ErrOut, res)
	if err := g.strictErr(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := renderResult(&buf, res, format); err != nil {
		return err
	}
	path, err := ledger.WriteIn(g.io.dir(), dir, e)
	if errors.Is(err, ledger.ErrClosed) {
		return fmt.Errorf("%v by another run meanwhile: nothing written", err)
	}
	if err != nil {
		return err
	}
	if rejects != nil {
		if err := commit(set, rejects); err != nil {
			return fmt.Errorf("closed %s (%s), but %v", p, path, err)
		}
		fmt.Fprintln(g.io.ErrOut, rejects.written())
	}
	fmt.Fprintf(g.io.ErrOut, "closed %s: %s\n", p, path)
	_, err = g.io.Out.Write(buf.Bytes())
	return err
}

// renderResult writes a result in one of the text formats.
func renderResult(buf *bytes.Buffer, res *settle.Result, format string) error {
	doc := report.Build(res, Version())
	scale := res.Agreement.Rounding.Scale
	switch format {
	case "json":
		return report.WriteJSON(buf, doc)
	case "csv":
		return report.WriteCSV(buf, doc, false)
	case "md":
		return report.WriteMarkdown(buf, doc, scale, false)
	}
	return report.WriteTable(buf, doc, scale, false)
}
