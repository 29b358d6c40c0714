package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [flags] [FILE...]",
		Short: "Check the agreement and report every problem; computes nothing",
		Long: `Validate decodes the agreement strictly and checks every rule of its
format, listing each problem as path:line:col: message.`,
		Example: `  llamashare validate -a agreement.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ag, err := g.loadAgreement()
			if err != nil {
				return err
			}
			fmt.Fprintf(g.io.Out, "%s: ok (%d hosts, %s settlement in %s)\n", ag.Path, len(ag.Hosts), ag.Period, ag.Currency)
			return nil
		},
	}
}
