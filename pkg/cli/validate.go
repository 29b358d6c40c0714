package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/settle"
)

func newValidateCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [flags] [FILE...]",
		Short: "Check the agreement (and FILEs if given) and report every problem; computes nothing",
		Long: `Validate decodes the agreement strictly and checks every rule of its
format, listing each problem as path:line:col: message. It also reads the
agreement's fx rates file, if any.

With FILEs it reads every input as settle would — the header, the format it
picks, every row, and the checks that need the terms (a version covering the
row's period, a rule matching its product, an fx rate for its currency) —
without settling anything. Every bad row is listed as
path:line: column: reason (the first 50, then a count); a file that is fine
gets one line on stdout with its format and row count. --period, --host and
--format apply as they do for settle.`,
		Example: `  llamashare validate -a agreement.yaml
  llamashare validate -a agreement.yaml reports/*.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(&validateOpts{g: g, files: args})
		},
	}
	addInputFlags(cmd, g)
	strictFlag(cmd)
	rejectsFlag(cmd)
	return cmd
}

// validateOpts holds the arguments of `validate`; its flags are settings.
type validateOpts struct {
	g     *globals
	files []string
}

func runValidate(o *validateOpts) error {
	g, args := o.g, o.files
	if err := stdinOnce(args); err != nil {
		return err
	}
	ag, err := g.loadAgreement()
	if err != nil {
		return err
	}
	opts, err := g.settleOptions(ag)
	if err != nil {
		return err
	}
	set := g.outputSet(ag, args)
	defer set.Abort()
	rejects, err := g.openRejects(set, &opts)
	if err != nil {
		return err
	}
	checked, err := settle.Validate(opts, args)
	if checked == nil && err != nil {
		return err // the fx rates, --host or a duplicate: nothing was read
	}
	fmt.Fprintf(g.io.Out, "%s: ok (%s, %s settlement in %s)\n", ag.Path, count(len(ag.Hosts), "host"), ag.Period, ag.Currency)
	bad := false
	var inputs []settle.Input
	for _, c := range checked {
		if c.OK(rejects != nil) {
			rejected := ""
			if c.Rejected > 0 {
				rejected = fmt.Sprintf(", %d rejected", c.Rejected)
			}
			fmt.Fprintf(g.io.Out, "%s: ok (format %s, %s%s)\n", c.Path, c.Format, count(c.Rows, "row"), rejected)
		}
		bad = bad || c.Rejected > 0
		if c.Err == nil {
			inputs = append(inputs, c.Input)
		}
	}
	if err != nil {
		if bad && rejects == nil {
			return withReconciliation(err, inputs)
		}
		return err
	}
	if err := g.strictErr(); err != nil {
		return err
	}
	if rejects != nil {
		fmt.Fprintln(g.io.ErrOut, rejects.written())
		return commit(set, rejects)
	}
	return nil
}
