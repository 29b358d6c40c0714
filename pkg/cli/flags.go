package cli

import (
	"github.com/spf13/cobra"
)

// Each command registers only the flags it uses (no persistent flags that
// some commands would ignore). Commands that settle revenue take
// addInputFlags; a command that reads settings takes addConfigFlag, and
// only such a command reads a configuration file.

// addConfigFlag registers --config: the command reads settings from a
// configuration file (and LLAMASHARE_<KEY>).
func addConfigFlag(cmd *cobra.Command) {
	cmd.Flags().String("config", "", "read settings from `FILE` (default ./llamashare.yaml, else $XDG_CONFIG_HOME/llamashare/config.yaml); relative paths in it are taken from its folder")
	_ = cmd.RegisterFlagCompletionFunc("config", fileExt("yaml", "yml"))
}

// addAgreementFlag registers -a/--agreement.
func addAgreementFlag(cmd *cobra.Command) {
	cmd.Flags().StringP("agreement", "a", "agreement.yaml", "the agreement `FILE` (env LLAMASHARE_AGREEMENT)")
	_ = cmd.RegisterFlagCompletionFunc("agreement", fileExt("yaml", "yml"))
}

// addInputFlags registers what every command that reads revenue under the
// agreement takes: --config, -a, -p, --host and --format, with completion
// of their values.
func addInputFlags(cmd *cobra.Command, g *globals) {
	addConfigFlag(cmd)
	addAgreementFlag(cmd)
	f := cmd.Flags()
	f.StringArrayP("period", "p", nil, "settle `PERIOD`: 2025-Q1, 2025-03, 2025 or a range 2025-Q1..2025-Q3 (repeatable)")
	f.StringArray("host", nil, "report only host `ID` or alias (repeatable)")
	g.registerCompletions(cmd)
	addFormatFlag(cmd, g)
	if cmd.ValidArgsFunction == nil {
		// FILE arguments: revenue reports.
		cmd.ValidArgsFunction = fileExt("csv", "tsv", "gz", "parquet")
	}
}

// addFormatFlag registers --format, completed with the agreement's formats.
func addFormatFlag(cmd *cobra.Command, g *globals) {
	cmd.Flags().String("format", "", "read every input with format `NAME` (canonical or one declared in the agreement)")
	_ = cmd.RegisterFlagCompletionFunc("format", g.completeFromAgreement(formatNames))
}

// hasConfig reports whether cmd reads settings (it has --config).
func hasConfig(cmd *cobra.Command) bool {
	return cmd.Flags().Lookup("config") != nil && cmd.Annotations[noConfig] == ""
}

// usageArgs makes a wrong argument to c (`completion nope`, too many
// arguments) a usage error, pointing to c's help like a wrong flag.
func usageArgs(c *cobra.Command) {
	if c.Args == nil {
		return
	}
	check := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &flagError{err: err}
		}
		return nil
	}
}
