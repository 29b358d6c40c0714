package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Annotations: map[string]string{noConfig: "yes"},
		Short:       "Print the version",
		Example: `  llamashare version
  llamashare --version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(g.io.Out, "llamashare %s\n", Version())
			return err
		},
	}
}
