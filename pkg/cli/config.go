package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/limits"
)

// configFile is the configuration file a command read, with where each
// setting sits in it.
type configFile struct {
	path string // as found; "" when none was read
	// dir is the folder relative paths in the file are taken from: the
	// file's own for --config FILE; "" (the working folder) for
	// ./llamashare.yaml, which is there anyway, and for the user-wide
	// $XDG_CONFIG_HOME file, whose paths mean "where I run".
	dir  string
	keys map[string]*yaml.Node // top-level key → its key node
	vals map[string]*yaml.Node // top-level key → its value node
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
		if f.Name != "config" {
			_ = v.BindPFlag(f.Name, f)
		}
	})
	v.SetConfigType("yaml")
	path, _ := cmd.Flags().GetString("config")
	dir := ""
	if path != "" {
		dir = filepath.Dir(path)
	} else {
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
	data, err := limits.ReadFile("", path, limits.Config, "a configuration file")
	if err != nil {
		return fmt.Errorf("cannot read config %s: %v", path, unwrapErr(err))
	}
	cf, err := parseConfig(path, data)
	if err != nil {
		return err
	}
	cf.dir = dir
	g.config = cf
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("%s: %v", path, err) // parseConfig accepted it: should not happen
	}
	g.warnUnknownSettings(cmd)
	return nil
}

// parseConfig decodes a configuration file: a mapping of settings. A
// syntax error is reported at path:line:col.
func parseConfig(path string, data []byte) (configFile, error) {
	cf := configFile{path: path, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return cf, diag.YAMLSyntax(path, data, err)
	}
	if len(doc.Content) == 0 {
		return cf, nil // empty: no settings
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return cf, diag.Problem{Path: path, Line: m.Line, Col: m.Column,
			Msg: "a config file is a mapping of settings (key: value)", Hint: "for example `agreement: contracts/agreement.yaml`"}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := strings.ToLower(m.Content[i].Value)
		cf.keys[k] = m.Content[i]
		cf.vals[k] = m.Content[i+1]
	}
	return cf, nil
}

// warnUnknownSettings names the keys of the config file that no command
// takes: viper would ignore a misspelt `agrement:` without a word.
func (g *globals) warnUnknownSettings(cmd *cobra.Command) {
	known := map[string]bool{}
	var names []string
	for _, c := range append(cmd.Root().Commands(), cmd.Root()) {
		visit := func(f *pflag.Flag) {
			if !known[f.Name] && f.Name != "help" && f.Name != "version" && f.Name != "config" {
				names = append(names, f.Name)
			}
			known[f.Name] = true
		}
		c.Flags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
	}
	var unknown []string
	for k := range g.config.keys {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return
	}
	sort.Strings(unknown)
	quoted := make([]string, len(unknown))
	for i, k := range unknown {
		quoted[i] = fmt.Sprintf("%q", k)
	}
	g.warn(fmt.Sprintf("%s: unknown %s %s (settings are the flags' long names)",
		g.config.path, map[bool]string{true: "setting", false: "settings"}[len(unknown) == 1], strings.Join(quoted, ", ")))
	for _, k := range unknown {
		if hint := didYouMean(k, names); hint != "" {
			n := g.config.keys[k]
			g.warn(fmt.Sprintf("%s:%d:%d: unknown setting %q: %s", g.config.path, n.Line, n.Column, k, hint))
		}
	}
}
