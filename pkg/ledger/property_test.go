package ledger

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// genAgreement draws an agreement with a tiered and a flat rule, maybe a
// threshold, a minimum per period and an advance, quarterly from 2025-Q1.
func genAgreement(t *rapid.T, dir string) *agreement.Agreement {
	threshold := rapid.SampledFrom([]string{"0", "500", "5000"}).Draw(t, "threshold")
	extra := ""
	if rapid.Bool().Draw(t, "minimum") {
		extra += "        minimum: {amount: 800, per: period}\n"
	}
	if rapid.Bool().Draw(t, "advance") {
		extra += "        advance: {amount: 3000, received: 2024-12-15}\n"
	}
	window := rapid.SampledFrom([]string{"period", "year", "lifetime"}).Draw(t, "window")
	text := fmt.Sprintf(`schema: llamashare/v1
currency: USD
period: quarter
hosts:
  aws:
    terms:
      - from: 2025-01-01
        deduct: [refunds]
        rates:
          - name: tiered
            products: ["big*"]
            tiers:
              window: %s
              bands:
                - up_to: 20000
                  rate: 10%%
                - rate: 15%%
          - name: flat
            rate: 12.5%%
        payout: {threshold: %s, due_days: 30}
%s  azure:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 8%%
`, window, threshold, extra)
	path := filepath.Join(dir, "agreement.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ag, err := agreement.Load(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return ag
}

// genRows draws CSV rows (without header) dated in quarter q of 2025.
func genRows(t *rapid.T, q int, label string, min int) []string {
	n := rapid.IntRange(min, 4).Draw(t, label+" rows")
	var rows []string
	for i := 0; i < n; i++ {
		host := rapid.SampledFrom([]string{"aws", "azure"}).Draw(t, label+" host")
		product := rapid.SampledFrom([]string{"big-a", "big-b", "small"}).Draw(t, label+" product")
		cents := rapid.Int64Range(-300000, 3000000).Draw(t, label+" gross")
		refund := rapid.Int64Range(0, 50000).Draw(t, label+" refunds")
		day := rapid.IntRange(0, 89).Draw(t, label+" day")
		d := time.Date(2025, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
		rows = append(rows, fmt.Sprintf("%s,%s,%s,%s,%s", period.FormatDate(d), host, product,
			decimal.New(cents, -2).StringFixed(2), decimal.New(refund, -2).StringFixed(2)))
	}
	return rows
}

func writeCSV(t *rapid.T, path string, rows []string) string {
	body := "date,host,product,gross,refunds\n" + strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// closeWith closes p in dir with files; replaces maps a file to the sha256
// of the closed input it replaces.
func closeWith(t *rapid.T, ag *agreement.Agreement, dir string, p period.Period, files []string, replaces map[string]string) *settle.Result {
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{Agreement: ag, Ledger: l}
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
	e, res, err := Close(r, p, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), src, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, e); err != nil {
		t.Fatal(err)
	}
	return res
}

// (a) Closing period by period, each with its own rows, issues what a full
// replay settles; (b) with late rows and replacements, for every host
// Σ issued payable over the closed periods + the shortfall outstanding =
// Σ restated payable; (c) the ledger verifies, and no longer does after
// any single-byte change to a stored sum or settlement.
func TestLedgerProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tmp, err := os.MkdirTemp("", "ledger-prop")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		ag := genAgreement(t, tmp)
		dir := filepath.Join(tmp, "ledger")
		var all []string
		own := map[int]string{} // quarter -> its own report
		late := rapid.Bool().Draw(t, "late rows and replacements")
		var closedFiles []string
		for q := 1; q <= 3; q++ {
			p := period.Period{Kind: period.Quarter, Year: 2025, N: q}
			f := writeCSV(t, filepath.Join(tmp, fmt.Sprintf("q%d.csv", q)), genRows(t, q, fmt.Sprintf("q%d", q), 1))
			own[q] = f
			files := []string{f}
			replaces := map[string]string{}
			if late && q > 1 {
				// late rows for an earlier quarter
				lq := rapid.IntRange(1, q-1).Draw(t, "late quarter")
				lf := writeCSV(t, filepath.Join(tmp, fmt.Sprintf("late%d.csv", q)), genRows(t, lq, "late", 1))
				files = append(files, lf)
				// a corrected version of a closed report
				if rapid.Bool().Draw(t, "replace") {
					old := rapid.SampledFrom(closedFiles).Draw(t, "replaced")
					var oq int
					fmt.Sscanf(filepath.Base(old), "q%d", &oq)
					if oq == 0 {
						fmt.Sscanf(filepath.Base(old), "late%d", &oq)
						oq = 0
					}
					if oq > 0 {
						nf := writeCSV(t, filepath.Join(tmp, fmt.Sprintf("fix%d.csv", q)), genRows(t, oq, "fix", 1))
						b, _ := os.ReadFile(old)
						replaces[nf] = digest(b)
						files = append(files, nf)
						closedFiles = removeString(closedFiles, old)
					}
				}
			}
			res := closeWith(t, ag, dir, p, files, replaces)
			closedFiles = append(closedFiles, files...)
			all = append(all, f)
			if !late {
				// (a)
				full, err := settle.Run(settle.Options{Agreement: ag, Periods: []period.Period{p}}, all)
				if err != nil {
					t.Fatal(err)
				}
				for i, s := range res.Settlements {
					w := full.Settlements[i]
					if !s.Payable.Equal(w.Payable) || !s.CarriedOut.Equal(w.CarriedOut) || s.Host.ID != w.Host.ID {
						t.Fatalf("%s %s: issued %s, full replay %s", s.Host.ID, p, s.Payable, w.Payable)
					}
				}
			}
		}
		l, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		// (b): restate the three closed quarters from the ledger (a run
		// for Q4 with no files) and compare with what was issued.
		r := &Run{Agreement: ag, Ledger: l, Periods: []period.Period{{Kind: period.Quarter, Year: 2025, N: 4}}}
		agg := &settle.Aggregate{}
		replaced := r.replaced()
		for _, e := range l.Entries {
			for i := range e.Inputs {
				if !replaced[e.Inputs[i].SHA256] {
					a, _ := e.Inputs[i].Aggregate()
					agg.Merge(a)
				}
			}
		}
		restatedRes, err := settle.Settle(ag, nil, agg, settle.Request{Periods: []period.Period{{Kind: period.Quarter, Year: 2025, N: 1}, {Kind: period.Quarter, Year: 2025, N: 2}, {Kind: period.Quarter, Year: 2025, N: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		restated := map[string]decimal.Decimal{}
		for _, s := range restatedRes.Settlements {
			restated[s.Host.ID] = restated[s.Host.ID].Add(s.Payable)
		}
		issued := map[string]decimal.Decimal{}
		for _, is := range l.Issued() {
			issued[is.Host] = issued[is.Host].Add(is.Payable)
		}
		next, err := r.Settle()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range next.Settlements {
			outstanding := s.Ledger.PriorAdjustments // restated − settled, still to settle
			if got := issued[s.Host.ID].Add(outstanding); !got.Equal(restated[s.Host.ID]) {
				t.Fatalf("%s: issued %s + outstanding %s ≠ restated %s", s.Host.ID, issued[s.Host.ID], outstanding, restated[s.Host.ID])
			}
		}
		// (c)
		if _, probs, err := Verify(dir, "test"); err != nil || len(probs) > 0 {
			t.Fatalf("verify: %v %v", err, probs)
		}
		e := l.Entries[rapid.IntRange(0, len(l.Entries)-1).Draw(t, "entry")]
		data, _ := os.ReadFile(e.File())
		body := string(data)
		start := strings.Index(body, `"sums"`)
		digits := []int{}
		for i := start; i < len(body); i++ {
			if body[i] >= '0' && body[i] <= '9' {
				digits = append(digits, i)
			}
		}
		at := digits[rapid.IntRange(0, len(digits)-1).Draw(t, "byte")]
		changed := []byte(body)
		changed[at] = '0' + (changed[at]-'0'+1)%10
		os.Chmod(e.File(), 0o644)
		if err := os.WriteFile(e.File(), changed, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, probs, err := Verify(dir, "test"); err != nil || len(probs) == 0 {
			t.Fatalf("verify passed after changing byte %d of %s", at, e.File())
		}
	})
}

func removeString(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// Of two closes of one period at once exactly one wins; the other gets
// ErrClosed and the ledger stays valid.
func TestConcurrentWrite(t *testing.T) {
	ag, err := agreement.Load(filepath.Join("..", "..", "examples", "quarter-close", "agreement.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := period.Period{Kind: period.Quarter, Year: 2025, N: 1}
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "quarter-close", "2025-q1-*.csv"))
	for round := 0; round < 20; round++ {
		d := filepath.Join(dir, fmt.Sprint(round))
		var entries []*Entry
		for i := 0; i < 2; i++ {
			r := &Run{Agreement: ag, Ledger: &Ledger{Dir: d}}
			col, err := settle.Collect(settle.Options{Agreement: ag, Periods: []period.Period{p}}, nil, files)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range col.Files {
				r.Inputs = append(r.Inputs, NewInput{Collected: c})
			}
			src, _ := ReadSources(r)
			e, _, err := Close(r, p, time.Date(2025, 4, 1+i, 0, 0, 0, 0, time.UTC), src, "test")
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, e)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range entries {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = Write(d, entries[i])
			}(i)
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, ErrClosed):
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d closes won", round, won)
		}
		if _, probs, err := Verify(d, "test"); err != nil || len(probs) > 0 {
			t.Fatalf("round %d: %v %v", round, err, probs)
		}
		names, _ := os.ReadDir(d)
		if len(names) != 1 {
			t.Fatalf("round %d: %d files left in the ledger", round, len(names))
		}
	}
}
