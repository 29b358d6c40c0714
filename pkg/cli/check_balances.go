package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
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
	abs, err := filepath.Abs(f.Dir)
	if err != nil {
		return nil, err
	}
	back, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if err := os.Chdir(abs); err != nil {
		return nil, err
	}
	defer os.Chdir(back)
	args := []string{"balances", "--ledger", fixture.LedgerDir, "-o", "json"}
	for _, in := range f.Inputs {
		args = append(args, "--payments", filepath.Base(in))
	}
	args = append(args, f.Args...)
	var stdout, stderr bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr, WorkingDir: abs, Getenv: g.io.Getenv, Confine: abs}
	// --fail-overdue in args is a fixture of the alarm: exit 1 is its
	// expected outcome, the document is still written.
	if code := mainContext(g.ctx(), args, streams); code != ExitOK && code != ExitDiff {
		return nil, fmt.Errorf("balances exited %d:\n%s", code, strings.TrimSpace(stderr.String()))
	}
	var doc report.BalancesDocument
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("balances wrote no JSON result: %v", err)
	}
	return &doc, nil
}
