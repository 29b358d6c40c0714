package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"text/tabwriter"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/ledger"
	"github.com/llamashare/llamashare/pkg/money"
)

func newLedgerCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger {verify | show} [--ledger DIR]",
		Short: "Verify or list the ledger of closed periods",
		Long: `The ledger (SPEC 9) is a folder of closed periods, one DIR/PERIOD.json each,
written by close.`,
		Example: `  llamashare close -a quarter-close/agreement.yaml -p 2025-Q1 --ledger ledger quarter-close/2025-q1-*.csv
  llamashare ledger verify --ledger ledger
  llamashare ledger show --ledger ledger`,
	}
	verify := &cobra.Command{
		Use:   "verify [--ledger DIR]",
		Short: "Check the ledger's chain and re-derive every issued settlement",
		Long: `Verify checks that every entry is as written (its own sha256), that each
names the sha256 of the entry before it (so a removed, re-ordered or edited
entry shows), that no period is missing, and re-derives every entry's issued
settlements from its own stored agreement, fx rates and sums. Each problem
names its entry.`,
		Annotations: map[string]string{exitsDiff: "an entry was edited, removed or re-ordered, or does not re-derive"},
		Args:        cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLedgerVerify(g)
		},
	}
	show := &cobra.Command{
		Use:   "show [--ledger DIR]",
		Short: "List the closed periods with their close dates and issued totals",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLedgerShow(g)
		},
	}
	for _, c := range []*cobra.Command{verify, show} {
		addConfigFlag(c)
		ledgerFlag(c)
	}
	show.Flags().StringP("output", "o", "", "`FORMAT`: table|json (default table)")
	cmd.AddCommand(verify, show)
	return cmd
}

func ledgerDir(g *globals) (string, error) {
	dir := g.path("ledger")
	if dir == "" {
		return "", flagErrorf("needs --ledger DIR (or the ledger setting)")
	}
	// A ledger that is not there is a typo, not an empty ledger: "0 entries
	// verified" with exit 0 would pass an audit of nothing.
	if _, err := g.io.dir().Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return "", g.settingError("ledger", dir, "no such ledger folder (close -p PERIOD creates it)", "")
	}
	return dir, nil
}

func runLedgerVerify(g *globals) error {
	dir, err := ledgerDir(g)
	if err != nil {
		return err
	}
	l, probs, err := ledger.VerifyIn(g.io.dir(), dir, Version())
	if err != nil {
		return err
	}
	for _, p := range probs {
		fmt.Fprintln(g.io.ErrOut, p.Error())
	}
	if len(probs) > 0 {
		fmt.Fprintf(g.io.ErrOut, "ledger %s: %s\n", dir, count(len(probs), "problem"))
		return &DiffError{Count: len(probs)}
	}
	for _, e := range l.Entries {
		fmt.Fprintf(g.io.Out, "ok %s %s\n", e.Period, e.File())
	}
	n := fmt.Sprintf("%d entries", len(l.Entries))
	if len(l.Entries) == 1 {
		n = "1 entry"
	}
	fmt.Fprintf(g.io.Out, "ledger %s: %s verified\n", dir, n)
	return nil
}

// shown is one closed period in `ledger show -o json`.
type shown struct {
	Period           string `json:"period"`
	ClosedOn         string `json:"closed_on"`
	Hosts            int    `json:"hosts"`
	Payable          string `json:"payable"`
	PriorAdjustments string `json:"prior_adjustments"`
	AgreementSHA256  string `json:"agreement_sha256"`
	File             string `json:"file"`
}

func runLedgerShow(g *globals) error {
	dir, err := ledgerDir(g)
	if err != nil {
		return err
	}
	format := g.str("output")
	if format != "" && format != "table" && format != "json" {
		return flagErrorf("--output %q: want table or json", format)
	}
	l, err := ledger.LoadIn(g.io.dir(), dir)
	if err != nil {
		return err
	}
	rows := []shown{}
	var grouped [][2]string // the table's amounts, thousands grouped as in every table
	for _, e := range l.Entries {
		ag, _, err := e.Terms()
		if err != nil {
			return fmt.Errorf("%s: %v", e.File(), err)
		}
		pay, prior := decimal.Zero, decimal.Zero
		for _, is := range e.Issued() {
			pay = pay.Add(is.Payable)
			prior = prior.Add(is.PriorAdjustments)
		}
		rows = append(rows, shown{Period: e.Period, ClosedOn: e.ClosedOn, Hosts: len(e.Issued()),
			Payable: ag.Rounding.Format(pay), PriorAdjustments: ag.Rounding.Format(prior),
			AgreementSHA256: e.Agreement.SHA256, File: e.File()})
		grouped = append(grouped, [2]string{money.Group(prior, ag.Rounding.Scale), money.Group(pay, ag.Rounding.Scale)})
	}
	if format == "json" {
		b, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(g.io.Out, "%s\n", b)
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintf(g.io.ErrOut, "ledger %s: no closed periods\n", dir)
		return nil
	}
	w := tabwriter.NewWriter(g.io.Out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Period\tClosed on\tHosts\tPrior adjustments\tPayable\tAgreement\t")
	for i, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%.12s\t\n", r.Period, r.ClosedOn, r.Hosts, grouped[i][0], grouped[i][1], r.AgreementSHA256)
	}
	return w.Flush()
}
