package ledger

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/report"
	"github.com/llamashare/llamashare/pkg/settle"
)

// splitByPeriod writes the rows of each CSV file (date first) into one
// file per source file and settlement period under dir, and returns them
// by period.
func splitByPeriod(t *testing.T, ag *agreement.Agreement, dir string, files []string) map[period.Period][]string {
	t.Helper()
	paths := map[period.Period][]string{}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		out := map[period.Period]*strings.Builder{}
		var order []period.Period
		for _, l := range lines[1:] {
			d, err := period.ParseDate(strings.SplitN(l, ",", 2)[0])
			if err != nil {
				t.Fatal(err)
			}
			p := period.Of(d, ag.Period)
			if out[p] == nil {
				out[p] = &strings.Builder{}
				out[p].WriteString(lines[0] + "\n")
				order = append(order, p)
			}
			out[p].WriteString(l + "\n")
		}
		for _, p := range order {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.csv", p, i))
			if err := os.WriteFile(path, []byte(out[p].String()), 0o644); err != nil {
				t.Fatal(err)
			}
			paths[p] = append(paths[p], path)
		}
	}
	return paths
}

func loadRates(t *testing.T, ag *agreement.Agreement) *fx.Table {
	t.Helper()
	if ag.FX == nil {
		return nil
	}
	rates, err := fx.Load(ag.RatesPath(), ag.FX.Method)
	if err != nil {
		t.Fatal(err)
	}
	return rates
}

// closeOne closes period p with files; it fails the test on an error.
func closeOne(t *testing.T, ag *agreement.Agreement, dir string, p period.Period, files []string, replaces map[string]string) (*Entry, *settle.Result) {
	t.Helper()
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{Agreement: ag, Rates: loadRates(t, ag), Ledger: l}
	col, err := settle.Collect(settle.Options{Agreement: ag, Periods: []period.Period{p}}, l.Closed, files)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range col.Files {
		r.Inputs = append(r.Inputs, NewInput{Collected: c, Replaces: replaces[c.Path]})
	}
	src, err := ReadSources(r)
	if err != nil {
		t.Fatal(err)
	}
	e, res, err := Close(r, p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), src, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, e); err != nil {
		t.Fatal(err)
	}
	return e, res
}

// Closing every example period by period, each with its own rows, issues
// what a full replay of all the files settles for that period; the ledger
// then verifies.
func TestCloseEachPeriodEqualsReplay(t *testing.T) {
	ags, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*", "agreement.yaml"))
	for _, path := range ags {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			ag, err := agreement.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.csv"))
			if len(files) == 0 {
				t.Skip("no reports beside the agreement")
			}
			full, err := settle.Run(settle.Options{Agreement: ag}, files)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]report.Settlement{}
			for _, s := range report.Build(full, "test").Settlements {
				want[s.Host+" "+s.Period] = s
			}
			tmp := t.TempDir()
			split := splitByPeriod(t, ag, tmp, files)
			dir := filepath.Join(tmp, "ledger")
			for p := FirstOpen(ag, &Ledger{}); !p.After(full.Periods[len(full.Periods)-1]); p = p.Next() {
				_, res := closeOne(t, ag, dir, p, split[p], nil)
				for _, s := range report.Build(res, "test").Settlements {
					w, ok := want[s.Host+" "+s.Period]
					if !ok {
						continue // before the first period found: the full run does not report it
					}
					if s.Payable != w.Payable || s.Share != w.Share || s.CarriedOut != w.CarriedOut || *s.PriorAdjustments != "0.00" {
						t.Errorf("%s %s: issued payable %s share %s carried %s, replay %s %s %s", s.Host, s.Period, s.Payable, s.Share, s.CarriedOut, w.Payable, w.Share, w.CarriedOut)
					}
				}
			}
			l, probs, err := Verify(dir, "test")
			if err != nil || len(probs) > 0 {
				t.Fatalf("verify: %v %v", err, probs)
			}
			if len(l.Issued()) == 0 {
				t.Fatal("nothing issued")
			}
		})
	}
}
