package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/report"
)

// statementsOpts holds the flags of `statements`.
type statementsOpts struct {
	g        *globals
	files    []string
	dir      string
	payments []string
}

func newStatementsCmd(g *globals) *cobra.Command {
	o := &statementsOpts{g: g}
	cmd := &cobra.Command{
		Use:   "statements --dir DIR [flags] [FILE...]",
		Short: "Write one statement per host and period, as HTML and Markdown",
		Long: `Statements settles FILEs like settle and writes one statement per host and
period, DIR/PERIOD/HOST.html and DIR/PERIOD/HOST.md, ready to send:
the licensor, the host, the period, the agreement's name and sha256, every
share line with its rate or price, the adjustments (minimum, cap, advance,
carry-forward), the payable amount and its due date.

The HTML is a single self-contained page (no external resources) that
prints on A4 or Letter. Every file is rendered before any is written, and
each is replaced atomically: a run that fails writes nothing. The paths
written are listed on stdout.`,
		Example: `  llamashare statements --dir out/statements -p 2025-Q2 reports/*.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			o.dir = g.path("dir")
			o.payments = g.pathList("payments")
			return runStatements(o)
		},
	}
	addInputFlags(cmd, g)
	_ = cmd.RegisterFlagCompletionFunc("dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	cmd.Flags().String("dir", "", "write the statements under `DIR` (required)")
	strictFlag(cmd)
	ledgerFlags(cmd)
	rejectsFlag(cmd)
	cmd.Flags().StringArray("payments", nil, "show each host's account from the payments in `FILE` (repeatable; CSV date,host,amount[,currency][,reference])")
	return cmd
}

func runStatements(o *statementsOpts) error {
	if o.dir == "" {
		return flagErrorf("statements needs --dir DIR")
	}
	ag, opts, err := o.g.prepare(o.files, "settle")
	if err != nil {
		return err
	}
	// A --dir through a file fails now, not after a long run.
	if err := report.CheckDirIn(o.g.io.dir(), o.dir); err != nil {
		return err
	}
	set := o.g.outputSet(ag, o.files)
	defer set.Abort()
	res, rejects, err := o.g.settleRejecting(set, opts, o.files)
	if err != nil {
		return err
	}
	printReconciliation(o.g.io.ErrOut, res)
	sts := report.BuildStatements(res, o.g.toolVersion())
	if len(o.payments) > 0 {
		var reject func(ingest.BadRow) error
		if rejects != nil {
			reject = rejects.add // bad payment rows go with the bad revenue rows
		}
		pays, ins, err := o.g.readPayments(ag, nil, o.payments, reject)
		if err != nil {
			return err
		}
		printPaymentsReconciliation(o.g.io.ErrOut, ins, nil)
		issued, err := o.g.issuedFromResult(res)
		if err != nil {
			return err
		}
		report.SetAccounts(sts, issued, pays, ag.Rounding.Scale)
	}
	if err := o.g.strictErr(); err != nil {
		return err
	}
	if rejects != nil {
		fmt.Fprintln(o.g.io.ErrOut, rejects.written())
	}
	files, err := report.RenderStatements(sts)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Fprintln(o.g.io.ErrOut, "no settlements in the requested periods: no statements written")
		return commit(set, rejects)
	}
	// The folder is locked while the set lands, so that two runs at once
	// each land a whole set of statements, one after the other.
	if err := set.MkdirAll(o.dir); err != nil {
		return err
	}
	unlock, err := atomicfile.LockDir(o.g.ctx(), o.g.io.dir().Join(o.dir))
	if err != nil {
		return err
	}
	defer unlock()
	if err := report.StageStatementFiles(set, o.dir, files); err != nil {
		return err
	}
	if err := commit(set, rejects); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(o.g.io.Out, filepath.Join(o.dir, filepath.FromSlash(f.Name)))
	}
	return nil
}
