package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/diag"
)

// Where a setting came from, so that an error caused by one says so: the
// flag as typed, LLAMASHARE_<KEY>=value, or the config file's path:line:col.
const (
	fromDefault = iota
	fromFlag
	fromEnv
	fromConfig
)

// envName is the environment variable of setting key.
func envName(key string) string {
	return "LLAMASHARE_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// origin tells where setting key's value comes from, in viper's order.
func (g *globals) origin(key string) int {
	if g.cmd != nil {
		if f := g.cmd.Flags().Lookup(key); f != nil && f.Changed {
			return fromFlag
		}
	}
	if g.getenv(envName(key)) != "" {
		return fromEnv
	}
	if g.config.vals[key] != nil {
		return fromConfig
	}
	return fromDefault
}

// path returns a setting that names a file or folder. A relative path
// from a config file given with --config is taken from that file's folder.
func (g *globals) path(key string) string {
	p := g.str(key)
	if p != "" && g.origin(key) == fromConfig && g.config.dir != "" && !filepath.IsAbs(p) {
		return filepath.Join(g.config.dir, p)
	}
	return p
}

// settingError reports that value of setting key is wrong (msg), saying
// where it was set; hint, if any, is printed under it. An error in a flag
// is a usage error, pointing to the command's help.
func (g *globals) settingError(key, value, msg, hint string) error {
	switch g.origin(key) {
	case fromEnv:
		return diag.Problem{Msg: fmt.Sprintf("%s=%s: %s", envName(key), g.getenv(envName(key)), msg), Hint: hint}
	case fromConfig:
		n := g.configNode(key, value)
		return diag.Problem{Path: g.config.path, Line: n.Line, Col: n.Column,
			Msg: fmt.Sprintf("%s %q: %s", key, value, msg), Hint: hint}
	}
	name := "--" + key
	if g.cmd != nil {
		if f := g.cmd.Flags().Lookup(key); f != nil && f.Shorthand != "" {
			name = "-" + f.Shorthand
		}
	}
	return &flagError{err: fmt.Errorf("%s %q: %s", name, value, msg), hint: hint}
}

// configNode is the node of the config file that set value for key: the
// list item holding it, else the key's value.
func (g *globals) configNode(key, value string) *yaml.Node {
	n := g.config.vals[key]
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			for _, part := range strings.Split(item.Value, ",") {
				if strings.TrimSpace(part) == value {
					return item
				}
			}
		}
	}
	return n
}
