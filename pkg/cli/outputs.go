package cli

import (
	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/atomicfile"
)

// outputSet starts the outputs of a run that reads files under ag: every
// file the run reads is declared, so that an output naming one of them
// (or another output) is refused before anything is read, and under
// `check` every output must stay inside the fixture's folder.
func (g *globals) outputSet(ag *agreement.Agreement, files []string) *atomicfile.Set {
	s := &atomicfile.Set{Stdout: g.io.Out, Dir: g.io.dir()}
	for _, f := range files {
		s.Input("input", f)
	}
	if ag != nil {
		s.Input("agreement", ag.Path)
		if ag.FX != nil {
			s.Input("fx rates file", ag.RatesPath())
		}
	}
	// The side files of the command's flags: --expect, --payments.
	if g.cmd != nil {
		if g.cmd.Flags().Lookup("expect") != nil {
			s.Input("--expect file", g.path("expect"))
		}
		if g.cmd.Flags().Lookup("payments") != nil {
			for _, p := range g.pathList("payments") {
				s.Input("payments file", p)
			}
		}
	}
	if g.config.path != "" {
		s.Input("config file", g.config.path)
	}
	if g.io.Confine != "" {
		s.Within(g.io.Confine)
	}
	return s
}
