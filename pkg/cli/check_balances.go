package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/llamashare/llamashare/pkg/fixture"
	"github.com/llamashare/llamashare/pkg/report"
)

// runFixtures runs the settlement fixtures, then the balances fixtures
// (SPEC 10: a ledger and payments files against a `balances -o json`
// result).
func (g *globals) runFixtures(fixtures []fixture.Fixture, update bool) []fixture.Outcome {
	var settles, balances []fixture.Fixture
	for _, f := range fixtures {
		if f.Balances {
			balances = append(balances, f)
		} else {
			settles = append(settles, f)
		}
	}
	outcomes := fixture.Run(settles, g.settleFixture, update, Version())
	return append(outcomes, fixture.RunBalances(balances, g.balancesFixture, update)...)
}

// balancesFixture runs `balances --ledger ledger --payments FILE... -o
// json` and the fixture's args inside its folder; the agreement is the
// one the ledger's last entry recorded.
func (g *globals) balancesFixture(f fixture.Fixture) (*report.BalancesDocument, error) {
	args := []string{"balances", "--ledger", fixture.LedgerDir, "-o", "json"}
	for _, in := range f.Inputs {
		args = append(args, "--payments", filepath.Base(in))
	}
	args = append(args, f.Args...)
	stdout, stderr, code, err := g.inFixture(f, args)
	if err != nil {
		return nil, err
	}
	// --fail-overdue in args is a fixture of the alarm: exit 1 is its
	// expected outcome, the document is still written.
	if code != ExitOK && code != ExitDiff {
		return nil, fmt.Errorf("balances exited %d:\n%s", code, strings.TrimSpace(stderr))
	}
	var doc report.BalancesDocument
	if err := json.Unmarshal(stdout, &doc); err != nil {
		return nil, fmt.Errorf("balances wrote no JSON result: %v", err)
	}
	return &doc, nil
}

// inFixture runs the command line args as a user would inside the
// fixture's folder: the same application, with the folder as its
// working folder (relative paths in args are taken from there; the
// process's own working folder is never changed, so fixtures can run in
// parallel) and no standard input. Every write of the fixture's args
// (--out, --rejects) must stay inside the fixture: an args file is data,
// and ../../x is refused.
func (g *globals) inFixture(f fixture.Fixture, args []string) (stdout []byte, stderr string, code int, err error) {
	abs, err := f.Root.Abs(f.Dir)
	if err != nil {
		return nil, "", 0, err
	}
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, WorkingDir: abs, Getenv: g.io.Getenv, Confine: abs}
	code = mainContext(g.ctx(), args, streams)
	return out.Bytes(), errOut.String(), code, nil
}
