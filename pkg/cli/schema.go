package cli

import (
	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/agreement"
)

func newSchemaCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:         "schema",
		Annotations: map[string]string{noConfig: "yes"},
		Short:       "Print the JSON Schema of the agreement file",
		Long: `Schema prints the JSON Schema of the agreement file, for editors and CI.
With the YAML extension of VS Code, for example, save it as
agreement.schema.json and put this first line in the agreement:

  # yaml-language-server: $schema=./agreement.schema.json`,
		Example: `  llamashare schema > agreement.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := agreement.Schema()
			if err != nil {
				return err
			}
			_, err = g.io.Out.Write(data)
			return err
		},
	}
}
