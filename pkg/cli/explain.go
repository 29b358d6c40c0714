package cli

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/report"
)

// explainOpts holds the arguments of `explain`; its flags are settings.
type explainOpts struct {
	g     *globals
	files []string
}

func newExplainCmd(g *globals) *cobra.Command {
	o := &explainOpts{g: g}
	cmd := &cobra.Command{
		Use:   "explain --host ID [flags] [FILE...]",
		Short: "Show one host's settlement as a step-by-step derivation",
		Long: `Explain runs the same computation as settle for one host and prints,
for each requested period, every step of it in the order of the spec:
products and their sums, basis, each line (basis × rate = share, with its
tier band and the window position before and after), then minimum, cap,
advance, carry-forward and the payable amount with its due date.`,
		Example: `  llamashare explain --host aws -p 2025-Q2 reports/*.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			return runExplain(o)
		},
	}
	addInputFlags(cmd, g)
	strictFlag(cmd)
	ledgerFlags(cmd)
	rejectsFlag(cmd)
	return cmd
}

func runExplain(o *explainOpts) error {
	g, args := o.g, o.files
	hosts, err := g.hostList()
	if err != nil {
		return err
	}
	if len(hosts) != 1 {
		return flagErrorf("explain needs exactly one --host ID")
	}
	ag, opts, err := g.prepare(args, "explain")
	if err != nil {
		return err
	}
	set := g.outputSet(ag, args)
	defer set.Abort()
	res, rejects, err := g.settleRejecting(set, opts, args)
	if err != nil {
		return err
	}
	if err := g.strictErr(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteExplain(&buf, res); err != nil {
		return err
	}
	if rejects != nil {
		printReconciliation(g.io.ErrOut, res)
		fmt.Fprintln(g.io.ErrOut, rejects.written())
		if err := commit(set, rejects); err != nil {
			return err
		}
	}
	_, err = g.io.Out.Write(buf.Bytes())
	return err
}
