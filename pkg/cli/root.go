// Package cli wires llamashare's commands: flags and configuration (cobra,
// viper), IO streams and exit codes. Commands parse their flags and call
// library code; no computation or formatting lives here.
package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

// noConfig annotates commands that read no configuration file.
const noConfig = "llamashare/no-config"

// globals are the flags every command shares, resolved through viper.
type globals struct {
	io     *IOStreams
	v      *viper.Viper
	config string

	// warnings kept under --strict (warn, strictErr)
	warnings []string
}

// Main runs llamashare with args and returns the exit code.
func Main(args []string, streams *IOStreams) int {
	g := &globals{io: streams, v: viper.New()}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	err := root.Execute()
	return exitCode(err, streams.ErrOut)
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "llamashare",
		Short: "Settle model-licensing revenue shares with exact decimal arithmetic",
		Long: `llamashare reads hosts' revenue reports (CSV) and the revenue-share
agreement (YAML) and computes what each host owes, why, and when.` + "\n" + exitStatusHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Annotations[noConfig] != "" {
				// Commands that take no settings work whatever the
				// configuration file says.
				return nil
			}
			return g.loadConfig(cmd)
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &flagError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.config, "config", "", "read settings from `FILE` (default ./llamashare.yaml, else $XDG_CONFIG_HOME/llamashare/config.yaml)")
	pf.StringP("agreement", "a", "agreement.yaml", "the agreement `FILE` (env LLAMASHARE_AGREEMENT)")
	pf.StringArrayP("period", "p", nil, "settle `PERIOD`: 2025-Q1, 2025-03, 2025 or a range 2025-Q1..2025-Q3 (repeatable)")
	pf.StringArray("host", nil, "report only host `ID` (repeatable)")
	pf.String("format", "", "read every input with format `NAME` (canonical or one declared in the agreement)")
	for _, name := range []string{"agreement", "period", "host", "format"} {
		_ = g.v.BindPFlag(name, pf.Lookup(name))
	}
	root.AddCommand(newSettleCmd(g), newExplainCmd(g), newValidateCmd(g), newStatementsCmd(g), newCheckCmd(g), newInitCmd(g), newSchemaCmd(g), newSQLCmd(g), newVersionCmd(g), newCompletionCmd(root))
	for _, c := range root.Commands() {
		if !strings.Contains(c.Long, "EXIT STATUS") {
			c.Long = strings.TrimSpace(c.Long+"\n") + "\n" + exitStatusHelp
		}
	}
	return root
}

// loadConfig reads the configuration file and binds the command's own
// flags, so that a setting comes from the flag, else LLAMASHARE_<KEY>,
// else the config file, else the default.
func (g *globals) loadConfig(cmd *cobra.Command) error {
	v := g.v
	v.SetEnvPrefix("LLAMASHARE")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		_ = v.BindPFlag(f.Name, f)
	})
	v.SetConfigType("yaml")
	path := g.config
	if path == "" {
		local := filepath.Join(g.io.WorkingDir, "llamashare.yaml")
		if _, err := os.Stat(local); err == nil {
			path = local
		} else if xdg := g.getenv("XDG_CONFIG_HOME"); xdg != "" {
			p := filepath.Join(xdg, "llamashare", "config.yaml")
			if _, err := os.Stat(p); err == nil {
				path = p
			}
		} else if home := g.getenv("HOME"); home != "" {
			p := filepath.Join(home, ".config", "llamashare", "config.yaml")
			if _, err := os.Stat(p); err == nil {
				path = p
			}
		}
	}
	if path == "" {
		return nil
	}
	v.SetConfigFile(path)
	if err := v.ReadInConfig(); err != nil {
		var pe viper.ConfigParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: %v", path, err)
		}
		return fmt.Errorf("cannot read config %s: %v", path, err)
	}
	g.warnUnknownSettings(cmd, path)
	return nil
}

// warnUnknownSettings names the keys of the config file that no command
// takes: viper would ignore a misspelt `agrement:` without a word.
func (g *globals) warnUnknownSettings(cmd *cobra.Command, path string) {
	known := map[string]bool{}
	for _, c := range append(cmd.Root().Commands(), cmd.Root()) {
		c.Flags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
	}
	file := viper.New()
	file.SetConfigFile(path)
	if err := file.ReadInConfig(); err != nil {
		return
	}
	var unknown []string
	for _, k := range file.AllKeys() {
		if !known[strings.SplitN(k, ".", 2)[0]] {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		g.warn(fmt.Sprintf("%s: unknown %s %s (settings are the flags' long names)",
			path, map[bool]string{true: "setting", false: "settings"}[len(unknown) == 1], strings.Join(unknown, ", ")))
	}
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
