package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/balance"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/ledger"
	"github.com/llamashare/llamashare/pkg/payments"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/report"
)

// now is the clock `balances` reads for its default --as-of.
var now = time.Now

// balancesOpts holds the flags of `balances`.
type balancesOpts struct {
	g           *globals
	ledger      string
	payments    []string
	asOf        string
	output      string
	out         string
	rejects     string
	failOverdue bool
}

func newBalancesCmd(g *globals) *cobra.Command {
	o := &balancesOpts{g: g}
	cmd := &cobra.Command{
		Use:   "balances --ledger DIR --payments FILE... [--as-of DATE] [flags]",
		Short: "Show what each host was issued, has paid and still owes, aged by days past due",
		Long: `Balances reads the statements issued in the ledger and the payments hosts
made (CSV date,host,amount[,currency][,reference]; a payment in another
currency is converted at its date's rate, a negative amount is a refund to
the host) and prints, per host as of a date: issued, paid, the balance
(issued − paid; negative is a credit), the open statements with their due
dates and days past due, and the balance aged current, 1-30, 31-60, 61-90
and 90+ days past due. Payments pay the oldest open statement first.

--as-of defaults to today (printed on stderr); the same --as-of gives the
same output, byte for byte. Statements issued and payments dated after it
are left out. The agreement is -a's, else the one the ledger's last entry
recorded. With --fail-overdue the command exits 1 when anything is past
due: an alarm for a cron or CI job.`,
		Example: `  llamashare balances --ledger ledger --payments payments.csv
  llamashare balances --ledger ledger --payments bank/*.csv --as-of 2025-09-30 -o json
  llamashare balances --ledger ledger --payments payments.csv --fail-overdue`,
		Annotations: map[string]string{exitsDiff: "with --fail-overdue, some amount is past due"},
		Args:        cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ledger = g.path("ledger")
			o.payments = g.pathList("payments")
			o.asOf = g.str("as-of")
			o.output = g.str("output")
			o.out = g.path("out")
			o.rejects = g.path("rejects")
			o.failOverdue = g.v.GetBool("fail-overdue")
			return runBalances(o)
		},
	}
	addConfigFlag(cmd)
	addAgreementFlag(cmd)
	f := cmd.Flags()
	f.String("ledger", "", "the ledger `DIR` of issued statements (required)")
	f.StringArray("payments", nil, "the payments in `FILE` (repeatable; CSV date,host,amount[,currency][,reference])")
	f.String("as-of", "", "balances as of `DATE` (YYYY-MM-DD; default today)")
	f.StringP("output", "o", "", "output `FORMAT`: "+strings.Join(outputFormats, "|")+" (default table, or from --out's extension)")
	f.String("out", "", "write the result to `PATH` instead of stdout (atomically)")
	f.String("rejects", "", "write bad payment rows to `PATH` as CSV (under their file's header) and go on without them")
	f.Bool("fail-overdue", false, "exit 1 when any amount is past due")
	strictFlag(cmd)
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(outputFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runBalances(o *balancesOpts) error {
	g := o.g
	format, err := (&settleOpts{g: g, output: o.output, out: o.out}).outputFormat()
	if err != nil {
		return err
	}
	if o.ledger == "" {
		return flagErrorf("balances needs --ledger DIR (or the setting ledger)")
	}
	asOf, err := o.asOfDate()
	if err != nil {
		return err
	}
	led, err := ledger.LoadIn(g.io.dir(), o.ledger)
	if err != nil {
		return err
	}
	if len(led.Entries) == 0 {
		// Payments may come before the first close: they are credits.
		g.warn(fmt.Sprintf("%s: the ledger holds no closed period: nothing issued yet", o.ledger))
	}
	ag, rates, err := o.agreement(led)
	if err != nil {
		return err
	}

	// The outputs are a set (all land or none) that must not overwrite
	// the payments files, the agreement or one another.
	set := g.outputSet(ag, nil)
	defer set.Abort()
	out, rejects, err := o.outputs(set)
	if err != nil {
		return err
	}
	var reject func(ingest.BadRow) error
	if rejects != nil {
		reject = rejects.add
	}
	pays, ins, err := g.readPayments(ag, rates, o.payments, reject)
	if err != nil {
		return err
	}
	after := afterAsOf(pays, asOf)
	printPaymentsReconciliation(g.io.ErrOut, ins, after)
	if err := g.strictErr(); err != nil {
		return err
	}
	if rejects != nil {
		fmt.Fprintln(g.io.ErrOut, rejects.written())
	}

	doc := o.document(led, ag, pays, ins, after, asOf)
	var buf bytes.Buffer
	if err := renderBalances(&buf, format, doc, ag.Rounding.Scale, g.warn); err != nil {
		return err
	}
	if err := g.strictErr(); err != nil {
		return err // the rendering warned (an amount Excel cannot hold)
	}
	if err := g.land(set, out, rejects, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	if o.failOverdue && doc.PastDue() {
		fmt.Fprintf(g.io.ErrOut, "past due as of %s: %s %s\n", doc.AsOf, doc.Currency, doc.Totals.PastDue)
		return &ExitCodeError{Code: ExitDiff}
	}
	return nil
}

// outputs opens --out and --rejects, when given, in the run's set.
func (o *balancesOpts) outputs(set *atomicfile.Set) (out *atomicfile.File, rejects *rejectsWriter, err error) {
	if o.out != "" {
		if out, err = set.Create("--out", o.out); err != nil {
			return nil, nil, err
		}
	}
	if o.rejects != "" {
		if rejects, err = createRejects(set, o.rejects); err != nil {
			return nil, nil, err
		}
	}
	return out, rejects, nil
}

// asOfDate is --as-of, or today (UTC), said on stderr.
func (o *balancesOpts) asOfDate() (time.Time, error) {
	if o.asOf != "" {
		asOf, err := period.ParseDate(o.asOf)
		if err != nil {
			return asOf, o.g.settingError("as-of", o.asOf, err.Error(), "")
		}
		return asOf, nil
	}
	asOf := now().UTC()
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	fmt.Fprintf(o.g.io.ErrOut, "balances as of %s (today; --as-of DATE to choose)\n", period.FormatDate(asOf))
	return asOf, nil
}

// document computes the balances as of asOf from the statements the
// ledger issued and the payments read (after: each file's payments dated
// after asOf), and builds their document.
func (o *balancesOpts) document(led *ledger.Ledger, ag *agreement.Agreement, pays []payments.Payment, ins []payments.Input, after map[string]int, asOf time.Time) *report.BalancesDocument {
	var issued []balance.Statement
	var periods []string
	for _, e := range led.Entries {
		periods = append(periods, e.Period)
	}
	for _, is := range led.Issued() {
		issued = append(issued, balance.Statement{Host: is.Host, Period: is.Period, Issued: is.ClosedOn,
			Payable: is.Payable, PriorAdjustments: is.PriorAdjustments, DueDate: is.DueDate})
	}
	var hosts []string
	for _, h := range ag.Hosts {
		hosts = append(hosts, h.ID)
	}
	r := balance.Compute(issued, pays, asOf, hosts...)
	var inputs []report.PaymentsInput
	for _, in := range ins {
		inputs = append(inputs, report.PaymentsInput{Path: in.Path, SHA256: in.SHA256, Rows: in.Rows,
			Applied: in.Rows - in.Rejected - after[in.Path], After: after[in.Path], Rejected: in.Rejected})
	}
	return report.BuildBalances(r, report.BalancesMeta{Version: Version(), Agreement: ag, LedgerPath: o.ledger,
		LedgerPeriods: periods, Inputs: inputs})
}

// afterAsOf counts each file's payments dated after asOf: read, not
// applied.
func afterAsOf(pays []payments.Payment, asOf time.Time) map[string]int {
	after := map[string]int{}
	for _, p := range pays {
		if p.Date.After(asOf) {
			after[p.Path]++
		}
	}
	return after
}

// renderBalances writes doc in format: json, csv, md, xlsx or the table.
func renderBalances(buf *bytes.Buffer, format string, doc *report.BalancesDocument, scale int32, warn func(string)) error {
	switch format {
	case "json":
		return report.WriteBalancesJSON(buf, doc)
	case "csv":
		return report.WriteBalancesCSV(buf, doc)
	case "md":
		return report.WriteBalancesMarkdown(buf, doc, scale)
	case "xlsx":
		return report.WriteBalancesXLSXWarn(buf, doc, scale, warn)
	default:
		return report.WriteBalancesTable(buf, doc, scale)
	}
}

// agreement is -a's agreement (its fx rates nil: read from its file);
// when -a was not given and ./agreement.yaml does not exist, the one the
// ledger's last entry recorded with the rates it kept (the terms the
// statements were issued under).
func (o *balancesOpts) agreement(led *ledger.Ledger) (*agreement.Agreement, *fx.Table, error) {
	path := o.g.path("agreement")
	if o.g.origin("agreement") == fromDefault && led.Last() != nil {
		if _, err := o.g.io.dir().Stat(path); errors.Is(err, os.ErrNotExist) {
			last := led.Last()
			ag, _, err := last.Terms()
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %v", last.File(), err)
			}
			var rates *fx.Table
			if last.FX != nil {
				if rates, err = fx.Read(last.FX.Path, strings.NewReader(last.FX.Text), fx.Daily); err != nil {
					return nil, nil, err
				}
			}
			return ag, rates, nil
		}
	}
	ag, err := o.g.loadAgreement()
	return ag, nil, err
}
