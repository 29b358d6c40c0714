// Package cli wires llamashare's commands: flags and configuration (cobra,
// viper), IO streams and exit codes. Commands parse their flags and call
// library code; no computation or formatting lives here.
package cli

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// version is set at build time with
// -ldflags "-X github.com/llamashare/llamashare/pkg/cli.version=v1.2.3";
// otherwise it comes from the module's build information.
var version = ""

// Version returns the tool's version.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// noConfig annotates commands that read no configuration file. A command
// without --config reads none either.
const noConfig = "llamashare/no-config"

// globals are what every command shares: the streams and the settings,
// resolved through viper, with where each came from.
type globals struct {
	io     *IOStreams
	v      *viper.Viper
	cmd    *cobra.Command // the command running
	config configFile     // the configuration file read, if any

	context context.Context // cancelled by SIGINT and SIGTERM

	// warnings kept under --strict (warn, strictErr)
	warnings []string

	// issuedBy is the version of llamashare that closed the periods a
	// ledger run shows as issued ("" otherwise).
	issuedBy string
}

// Main runs llamashare with args and returns the exit code. SIGINT and
// SIGTERM cancel the run: its temporary files are removed, nothing is
// written, and the exit code is 130 or 143.
func Main(args []string, streams *IOStreams) int {
	ctx, stop := signalContext()
	defer stop()
	code := mainContext(ctx, args, streams)
	if c, ok := signalExit(ctx); ok {
		fmt.Fprintf(streams.ErrOut, "llamashare: %s; nothing written\n", context.Cause(ctx))
		return c
	}
	return code
}

// mainContext runs llamashare under ctx (check runs each fixture so).
func mainContext(ctx context.Context, args []string, streams *IOStreams) int {
	g := &globals{io: streams, v: viper.New(), context: ctx}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	cmd, err := root.ExecuteC()
	path := ""
	if cmd != nil {
		path = cmd.CommandPath()
	}
	g.printHeld(err)
	return exitCode(err, streams.ErrOut, path)
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "llamashare",
		Short: "Settle model-licensing revenue shares with exact decimal arithmetic",
		Long: `llamashare reads hosts' revenue reports (CSV) and the revenue-share
agreement (YAML) and computes what each host owes, why, and when.` + "\n" + exitStatusHelp,
		Example: `  llamashare init demo
  llamashare settle -a demo/agreement.yaml demo/revenue.csv
  llamashare --version`,
		Version:       Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			g.cmd = cmd
			if !hasConfig(cmd) {
				// Commands that take no settings work whatever the
				// configuration file says.
				return nil
			}
			return g.loadConfig(cmd)
		},
	}
	root.SetVersionTemplate("llamashare {{.Version}}\n")
	root.Flags().Bool("version", false, "print the version")
	root.SetFlagErrorFunc(flagErrorFunc)
	root.AddCommand(newSettleCmd(g), newExplainCmd(g), newValidateCmd(g), newStatementsCmd(g), newCloseCmd(g), newLedgerCmd(g), newBalancesCmd(g), newCheckCmd(g), newInitCmd(g), newSchemaCmd(g), newSQLCmd(g), newVersionCmd(g), newCompletionCmd(root))
	for _, c := range root.Commands() {
		if !strings.Contains(c.Long, "EXIT STATUS") {
			c.Long = strings.TrimSpace(c.Long+"\n") + "\n" + exitStatus(c)
		}
		usageArgs(c)
	}
	return root
}

func (g *globals) getenv(k string) string {
	if g.io.Getenv == nil {
		return ""
	}
	return g.io.Getenv(k)
}

// str returns a setting's value, resolved flag > env > config > default.
func (g *globals) str(key string) string { return g.v.GetString(key) }

// list returns a repeatable setting; env and config values may list
// several, separated by commas.
func (g *globals) list(key string) []string {
	var out []string
	for _, s := range g.v.GetStringSlice(key) {
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
