package cli

import (
	"strings"

	"github.com/spf13/pflag"
)

// hostList is --host's values (config key and env alike), split on
// commas. An empty value (`--host ”`, `--host aws,`) is a usage error:
// dropped silently it would select every host, the opposite of a filter.
func (g *globals) hostList() ([]string, error) {
	vals := g.v.GetStringSlice("host")
	if g.cmd != nil {
		// viper and GetStringArray read the flag back through its text,
		// where an empty value vanishes: ask the flag's value itself.
		if f := g.cmd.Flags().Lookup("host"); f != nil && f.Changed {
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				vals = sv.GetSlice()
			}
		}
	}
	for _, s := range vals {
		for _, part := range strings.Split(s, ",") {
			if strings.TrimSpace(part) == "" {
				return nil, g.settingError("host", s, "empty host: give a host id or alias", "")
			}
		}
	}
	return g.list("host"), nil
}
