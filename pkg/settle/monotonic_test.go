package settle

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/period"
)

// TestMonotonicity: more revenue never lowers a share. Adding one row
// with gross ≥ 0, units ≥ 0 and nothing to deduct, for any host, product
// (a new one included) and day, to any generated input, never lowers any
// settlement's `share`, and leaves every earlier period's share as it was.
//
// Why it holds (SPEC 5, all rates 0%..100%, every rounding mode monotone):
//   - the row raises its product's gross sum, so the rounded gross and the
//     basis B of its product, rule and period do not fall; no other period's
//     B moves, and no deduction changes;
//   - `rate`: round(B × rate) does not fall as B rises; `per_unit`:
//     round(units × price ÷ per) does not fall as units rise;
//   - graduated tiers: each band's portion of [C, C+B] is clamp(C+B) −
//     clamp(C) over the band, which does not fall as B rises with C fixed,
//     whatever the band rates; the row's period has the same C as before
//     (C is the basis of earlier periods only);
//   - volume tiers: B × rate(B) does not fall as B rises when the band
//     rates do not fall from band to band — so the generator sorts them
//     (20% up to 1,000 then 10% would pay 200 on 1,000 and 100 on 1,000.01:
//     such a cliff is what the agreement says, not a bug);
//   - de_minimis: a share held at 0 below it, and at least 0 above it;
//   - minimum, cap, advance, threshold and carry-forward come after
//     `share` (steps 6 to 10) and do not enter it.
//
// What is not monotone, and so not checked: with graduated tiers over a
// `year` or `lifetime` window, the row also raises C for the later periods
// of the window, and their shares may fall: their basis moves up the
// bands, so a later negative basis (refunds) is clawed back at the higher
// band's rate, and each band's line is rounded on its own, so moving a
// cent from one band line to the next can lose a rounding cent (see
// TestMonotonicityLimits). Later periods are checked only when the
// agreement has no such window.
func TestMonotonicity(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ag := genAgreementWith(rt, genOptions{volumeNondecreasing: true})
		rows := genRows(rt)
		month := rapid.IntRange(1, 18).Draw(rt, "extra-month")
		extra := genRow{
			date:    fmt.Sprintf("%d-%02d-%02d", 2025+(month-1)/12, (month-1)%12+1, rapid.IntRange(1, 28).Draw(rt, "extra-day")),
			host:    rapid.SampledFrom([]string{"h1", "h2"}).Draw(rt, "extra-host"),
			product: rapid.SampledFrom([]string{"a1", "a2", "b", "a-new", "new"}).Draw(rt, "extra-product"),
			gross:   rapid.Int64Range(0, 3_000_000).Draw(rt, "extra-gross"),
			units:   rapid.Int64Range(0, 200_000).Draw(rt, "extra-units"),
		}
		// Anywhere in the file: row order does not matter (TestInvariants).
		at := rapid.IntRange(0, len(rows)).Draw(rt, "extra-at")
		more := append(append(append([]genRow(nil), rows[:at]...), extra), rows[at:]...)

		const span = "2025-Q1..2026-Q2"
		before := run(t, ag, span, toCSV(rows))
		after := run(t, ag, span, toCSV(more))
		if len(before.Settlements) != len(after.Settlements) {
			rt.Fatalf("%d settlements, then %d", len(before.Settlements), len(after.Settlements))
		}
		windowed := strings.Contains(ag, "window: year") || strings.Contains(ag, "window: lifetime")
		rowPeriod := period.Of(mustDate(rt, extra.date), period.Quarter)
		for i, b := range before.Settlements {
			a := after.Settlements[i]
			if a.Host.ID != b.Host.ID || a.Period != b.Period {
				rt.Fatalf("settlement %d: %s %s, then %s %s", i, b.Host.ID, b.Period, a.Host.ID, a.Period)
			}
			mine := b.Host.ID == extra.host
			switch {
			case mine && b.Period.Before(rowPeriod):
				if !a.Share.Equal(b.Share) {
					rt.Fatalf("%s %s: a row in %s changed an earlier share %s to %s", b.Host.ID, b.Period, rowPeriod, b.Share, a.Share)
				}
			case mine && b.Period.After(rowPeriod) && windowed:
				// Not monotone: see above.
			case a.Share.LessThan(b.Share):
				rt.Fatalf("%s %s: share fell from %s to %s after adding %+v\nagreement:\n%s", b.Host.ID, b.Period, b.Share, a.Share, extra, ag)
			}
		}
	})
}

func mustDate(t *rapid.T, s string) time.Time {
	d, err := period.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestMonotonicityLimits pins the two ways a share can fall when revenue
// rises, which TestMonotonicity therefore leaves out: a later period of a
// graduated tier window, and volume tiers whose rate falls.
func TestMonotonicityLimits(t *testing.T) {
	year := head + `      - from: 2025-01-01
        rates:
          - tiers:
              window: year
              bands: [{up_to: 100, rate: 10%}, {rate: 20%}]
`
	// Q2's refund of 50 comes back from band 1 (−5.00)…
	base := "date,host,product,gross\n2025-02-01,h,a,50\n2025-05-01,h,a,-50\n"
	check(t, "year window", summaryShares(run(t, year, "2025-Q1..2025-Q2", base)), "2025-Q1 5.00\n2025-Q2 -5.00\n")
	// …but from band 2 (−10.00) once Q1 earned 100 more: Q2's share fell.
	check(t, "year window, more in Q1", summaryShares(run(t, year, "2025-Q1..2025-Q2", base+"2025-02-02,h,a,100\n")), "2025-Q1 20.00\n2025-Q2 -10.00\n")

	// Rounding per band line: Q2's 0.10 is 0.05 in each band (0.005 and
	// 0.01, rounding to 0.01 and 0.01); after a cent more in Q1 it is 0.04
	// and 0.06 (0.004 and 0.012, rounding to 0.00 and 0.01).
	cents := "date,host,product,gross\n2025-02-01,h,a,99.95\n2025-05-01,h,a,0.10\n"
	check(t, "band lines rounded", summaryShares(run(t, year, "2025-Q1..2025-Q2", cents)), "2025-Q1 10.00\n2025-Q2 0.02\n")
	check(t, "band lines rounded, a cent more in Q1", summaryShares(run(t, year, "2025-Q1..2025-Q2", cents+"2025-02-02,h,a,0.01\n")), "2025-Q1 10.00\n2025-Q2 0.01\n")

	cliff := head + `      - from: 2025-01-01
        rates:
          - tiers:
              mode: volume
              bands: [{up_to: 1000, rate: 20%}, {rate: 10%}]
`
	check(t, "volume cliff", summaryShares(run(t, cliff, "2025-Q1", "date,host,product,gross\n2025-02-01,h,a,1000\n")), "2025-Q1 200.00\n")
	check(t, "volume cliff, one cent more", summaryShares(run(t, cliff, "2025-Q1", "date,host,product,gross\n2025-02-01,h,a,1000.01\n")), "2025-Q1 100.00\n")
}

func summaryShares(res *Result) string {
	var b strings.Builder
	for _, s := range res.Settlements {
		fmt.Fprintf(&b, "%s %s\n", s.Period, s.Share.StringFixed(2))
	}
	return b.String()
}
