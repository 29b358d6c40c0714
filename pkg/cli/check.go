package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/fixture"
	"github.com/llamashare/llamashare/pkg/report"
)

// checkOpts holds the flags and arguments of `check`.
type checkOpts struct {
	g      *globals
	dirs   []string
	update bool
	junit  string
	strict bool // a changed sha256 is a difference (SPEC 8)
}

func newCheckCmd(g *globals) *cobra.Command {
	o := &checkOpts{g: g}
	cmd := &cobra.Command{
		Use:   "check [flags] [DIR...]",
		Short: "Run settlement fixtures and report pass/fail like a test runner",
		Long: `Check runs settlement fixtures. A fixture is a folder holding
agreement.yaml, input files (*.csv, *.tsv, *.csv.gz), expected.json (an
earlier settle -o json result) and optionally args (extra settle flags, one
per line, e.g. "-p 2025-Q1"). A DIR that is not a fixture is searched for
fixtures below it; without DIR, the current folder is. A folder holding
ledger/ and expected.json but no agreement.yaml is a balances fixture: its
*.csv files are payments, and expected.json is a balances -o json result
(args: e.g. "--as-of 2025-09-30").

Each fixture is settled inside its own folder, so the paths recorded in
expected.json do not depend on where check runs. Each prints PASS or FAIL
with its differences; the last line is "N passed, N failed".`,
		Example: `  llamashare check fixtures/
  llamashare check --junit report.xml examples/*/
  llamashare check --update fixtures/llama-hosts`,
		Annotations: map[string]string{exitsDiff: "a fixture's result differs from its expected.json"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dirs = args
			return runCheck(o)
		},
	}
	cmd.Flags().BoolVar(&o.update, "update", false, "rewrite each expected.json from the current result")
	cmd.Flags().BoolVar(&o.strict, "strict", false, "a changed sha256 of a fixture's agreement, fx rates or input is a difference (exit 1), not a note")
	cmd.Flags().StringVar(&o.junit, "junit", "", "also write a JUnit XML report to `FILE`")
	_ = cmd.RegisterFlagCompletionFunc("junit", fileExt("xml"))
	return cmd
}

func runCheck(o *checkOpts) error {
	g, args, update, junit := o.g, o.dirs, o.update, o.junit
	if len(args) == 0 {
		args = []string{"."}
	}
	fixtures, err := fixture.DiscoverIn(g.io.dir(), args)
	if err != nil {
		return err
	}
	// Open the report before running anything: an unwritable
	// --junit fails at once, not after every fixture has run.
	// The report must not overwrite a fixture's file either.
	set := &atomicfile.Set{Stdout: g.io.Out, Dir: g.io.dir()}
	defer set.Abort()
	for _, f := range fixtures {
		set.Input("fixture file", f.Agreement)
		set.Input("fixture file", f.Expected)
		set.Input("fixture file", filepath.Join(f.Dir, "args"))
		for _, in := range f.Inputs {
			set.Input("fixture input", in)
		}
	}
	var rep *atomicfile.File
	if junit != "" {
		if rep, err = set.Create("--junit", junit); err != nil {
			return err
		}
	}
	outcomes := g.runFixtures(fixtures, update)
	if o.strict {
		for i := range outcomes {
			outcomes[i].StrictProvenance()
		}
	}
	out := g.io.Out
	failed, broken := printOutcomes(out, outcomes, update)
	fmt.Fprintln(out, fixture.Summary(outcomes))
	if rep != nil {
		var buf bytes.Buffer
		if err := fixture.WriteJUnit(&buf, outcomes); err != nil {
			return err
		}
		if _, err := rep.Write(buf.Bytes()); err != nil {
			return err
		}
		if err := set.Commit(); err != nil {
			return err
		}
	}
	switch {
	case broken > 0:
		return &ExitCodeError{Code: ExitError}
	case failed > 0:
		return &DiffError{Count: failed}
	}
	return nil
}

// settleFixture settles one fixture inside its folder, running the same
// `settle` command a user would, and returns the JSON document.
func (g *globals) settleFixture(f fixture.Fixture) (*report.Document, error) {
	args := []string{"settle", "-a", fixture.AgreementFile, "-o", "json"}
	args = append(args, f.Args...)
	for _, in := range f.Inputs {
		args = append(args, filepath.Base(in))
	}
	stdout, stderr, code, err := g.inFixture(f, args)
	if err != nil {
		return nil, err
	}
	if code != ExitOK {
		return nil, fmt.Errorf("settle exited %d:\n%s", code, strings.TrimSpace(stderr))
	}
	var doc report.Document
	if err := json.Unmarshal(stdout, &doc); err != nil {
		return nil, fmt.Errorf("settle wrote no JSON result: %v", err)
	}
	return &doc, nil
}

// printOutcomes prints one verdict a fixture, in the order given, with its
// diffs, error lines or notes, and counts the failed and broken fixtures.
func printOutcomes(out io.Writer, outcomes []fixture.Outcome, update bool) (failed, broken int) {
	for _, o := range outcomes {
		switch {
		case o.Err != nil:
			broken++
			fmt.Fprintf(out, "FAIL %s\n", o.Fixture.Dir)
			for _, line := range strings.Split(o.Err.Error(), "\n") {
				fmt.Fprintf(out, "    %s\n", line)
			}
		case len(o.Diffs) > 0:
			failed++
			fmt.Fprintf(out, "FAIL %s\n", o.Fixture.Dir)
			for _, d := range o.Diffs {
				fmt.Fprintf(out, "    %s\n", d)
			}
		case update:
			fmt.Fprintf(out, "UPDATED %s\n", o.Fixture.Expected)
		default:
			fmt.Fprintf(out, "PASS %s\n", o.Fixture.Dir)
		}
		if o.Err == nil && !update {
			for _, n := range o.Notes {
				fmt.Fprintf(out, "    note: %s\n", n)
			}
		}
	}
	return failed, broken
}
