package cli

import (
	"sort"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// loadAgreement reads the agreement named by --agreement (or its config
// and env equivalents).
func (g *globals) loadAgreement() (*agreement.Agreement, error) {
	return agreement.LoadIn(g.io.dir(), g.path("agreement"))
}

// periods expands every --period into settlement periods, sorted and
// without repeats.
func (g *globals) periods(kind period.Kind) ([]period.Period, error) {
	seen := map[period.Period]bool{}
	var out []period.Period
	for _, s := range g.list("period") {
		ps, err := period.Span(s, kind)
		if err != nil {
			return nil, g.settingError("period", s, err.Error(), "")
		}
		g.notePeriod(s, kind, ps)
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out, nil
}

// settleOptions gathers what every settling command shares.
func (g *globals) settleOptions(ag *agreement.Agreement) (settle.Options, error) {
	ps, err := g.periods(ag.Period)
	if err != nil {
		return settle.Options{}, err
	}
	hosts, err := g.hosts(ag)
	if err != nil {
		return settle.Options{}, err
	}
	if err := g.checkFormat(ag); err != nil {
		return settle.Options{}, err
	}
	return settle.Options{
		Agreement: ag,
		Periods:   ps,
		Hosts:     hosts,
		Format:    g.str("format"),
		Stdin:     g.io.In,
		Files:     workdir.Source{Dir: g.io.dir()},
		Context:   g.ctx(),
		Warn:      g.warn,
		Progress:  g.progress(),
	}, nil
}

// prepare loads the agreement and the settle options for a command that
// settles files (settle, explain, statements); without files it needs
// --period, else there is nothing to do.
func (g *globals) prepare(files []string, verb string) (*agreement.Agreement, settle.Options, error) {
	if err := stdinOnce(files); err != nil {
		return nil, settle.Options{}, err
	}
	ag, err := g.loadAgreement()
	if err != nil {
		return nil, settle.Options{}, err
	}
	opts, err := g.settleOptions(ag)
	if err != nil {
		return nil, settle.Options{}, err
	}
	if len(files) == 0 && len(opts.Periods) == 0 {
		return nil, settle.Options{}, flagErrorf("no input files and no --period: nothing to %s (use - to read standard input)", verb)
	}
	return ag, opts, nil
}
