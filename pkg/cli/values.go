package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/period"
)

// hosts returns --host's values, each an id or alias of the agreement; an
// unknown one is an error saying where it was set, with the closest name.
func (g *globals) hosts(ag *agreement.Agreement) ([]string, error) {
	hosts, err := g.hostList()
	if err != nil {
		return nil, err
	}
	for _, h := range hosts {
		if ag.Host(h) == nil {
			return nil, g.settingError("host", h, "no such host in "+ag.Path, didYouMean(h, hostNames(ag)))
		}
	}
	return hosts, nil
}

// hostNames are the agreement's host ids and aliases.
func hostNames(ag *agreement.Agreement) []string {
	var names []string
	for _, h := range ag.Hosts {
		names = append(names, h.ID)
		names = append(names, h.Aliases...)
	}
	return names
}

// formatNames are the formats --format takes: canonical and the declared.
func formatNames(ag *agreement.Agreement) []string {
	names := make([]string, 0, len(ag.Formats))
	for n := range ag.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return append([]string{ingest.Canonical}, names...)
}

// checkFormat refuses a --format the agreement does not declare.
func (g *globals) checkFormat(ag *agreement.Agreement) error {
	f := g.str("format")
	if f == "" || f == ingest.Canonical || ag.Formats[f] != nil {
		return nil
	}
	names := formatNames(ag)
	hint := didYouMean(f, names)
	if hint == "" {
		hint = "declared formats: " + strings.Join(names, ", ")
	}
	return g.settingError("format", f, "unknown format (want "+strings.Join(names, ", ")+")", hint)
}

// notePeriod says on stderr when a requested period is finer than the
// settlement's (`-p 2025-03` under quarterly settlement): the whole of the
// settlement period holding it is selected, not the month.
func (g *globals) notePeriod(s string, kind period.Kind, ps []period.Period) {
	from, to, _ := strings.Cut(s, "..")
	for _, label := range []string{from, to} {
		p, err := period.Parse(strings.TrimSpace(label))
		if err != nil || p.Kind == 0 || p.Kind >= kind || label == "" {
			continue
		}
		sel := ps[0]
		if label == to && to != from {
			sel = ps[len(ps)-1]
		}
		fmt.Fprintf(g.io.ErrOut, "note: period %s selects %s: settlement is by %s, a period is never split\n", strings.TrimSpace(label), sel, kind)
	}
}

// stdinOnce refuses `-` named more than once: standard input can be read
// only once (the second read would find it empty).
func stdinOnce(files []string) error {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	if n > 1 {
		return flagErrorf("- (standard input) is named %d times: standard input can be read only once", n)
	}
	return nil
}
