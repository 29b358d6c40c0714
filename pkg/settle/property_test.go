package settle

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/money"
)

// genAgreement draws an agreement for hosts h1 and h2 using every
// mechanism of SPEC 5, in a random mix.
func genAgreement(t *rapid.T) string { return genAgreementWith(t, genOptions{}) }

// genOptions narrows what genAgreementWith draws.
type genOptions struct {
	// volumeNondecreasing sorts the band rates of volume tiers in
	// increasing order (no cliff where more revenue pays less).
	volumeNondecreasing bool
}

// genAgreementWith is genAgreement under options.
func genAgreementWith(t *rapid.T, opts genOptions) string {
	var b strings.Builder
	mode := rapid.SampledFrom(money.Modes).Draw(t, "rounding")
	fmt.Fprintf(&b, "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nrounding: {mode: %s}\nhosts:\n", mode)
	rate := func(label string) string {
		return fmt.Sprintf("%d.%d%%", rapid.IntRange(0, 40).Draw(t, label+"-int"), rapid.IntRange(0, 999).Draw(t, label+"-frac"))
	}
	for _, h := range []string{"h1", "h2"} {
		fmt.Fprintf(&b, "  %s:\n    terms:\n", h)
		split := rapid.Bool().Draw(t, h+"-versions")
		versions := [][2]string{{"2025-01-01", ""}}
		if split {
			versions = [][2]string{{"2025-01-01", "2025-06-30"}, {"2025-07-01", ""}}
		}
		for vi, v := range versions {
			fmt.Fprintf(&b, "      - from: %s\n", v[0])
			if v[1] != "" {
				fmt.Fprintf(&b, "        to: %s\n", v[1])
			}
			if rapid.Bool().Draw(t, "deduct") {
				b.WriteString("        deduct: [refunds, fees]\n")
			}
			b.WriteString("        rates:\n")
			kinds := []string{"rate", "tiers", "per_unit"}
			b.WriteString("          - name: first\n            products: [\"a*\"]\n")
			writeRule(t, &b, rapid.SampledFrom(kinds).Draw(t, "kind1"), rate, opts)
			b.WriteString("          - name: rest\n")
			writeRule(t, &b, rapid.SampledFrom(kinds).Draw(t, "kind2"), rate, opts)
			if rapid.Bool().Draw(t, "minimum") {
				fmt.Fprintf(&b, "        minimum: {amount: %d, per: %s}\n", rapid.IntRange(0, 3000).Draw(t, "min"), rapid.SampledFrom([]string{"period", "year"}).Draw(t, "minper"))
			}
			if rapid.Bool().Draw(t, "cap") {
				fmt.Fprintf(&b, "        cap: {amount: %d, per: %s}\n", rapid.IntRange(3000, 9000).Draw(t, "cap"), rapid.SampledFrom([]string{"period", "year", "lifetime"}).Draw(t, "capper"))
			}
			if rapid.Bool().Draw(t, "advance") {
				fmt.Fprintf(&b, "        advance: {amount: %d}\n", rapid.IntRange(0, 5000).Draw(t, "adv"))
			}
			fmt.Fprintf(&b, "        payout: {threshold: %d}\n", rapid.IntRange(0, 800).Draw(t, fmt.Sprint("thr", vi)))
		}
	}
	return b.String()
}

func writeRule(t *rapid.T, b *strings.Builder, kind string, rate func(string) string, opts genOptions) {
	if rapid.Bool().Draw(t, "deminimis") {
		fmt.Fprintf(b, "            de_minimis: %d\n", rapid.IntRange(0, 500).Draw(t, "dm"))
	}
	switch kind {
	case "rate":
		fmt.Fprintf(b, "            rate: %s\n", rate("rate"))
	case "per_unit":
		fmt.Fprintf(b, "            per_unit: {price: 0.0%d, per: %d}\n", rapid.IntRange(1, 99).Draw(t, "price"), rapid.SampledFrom([]int{1, 1000, 7}).Draw(t, "per"))
	default:
		mode := rapid.SampledFrom([]string{"graduated", "volume"}).Draw(t, "mode")
		window := "period"
		if mode == "graduated" {
			window = rapid.SampledFrom([]string{"period", "year", "lifetime"}).Draw(t, "window")
		}
		scope := rapid.SampledFrom([]string{"rule", "product"}).Draw(t, "scope")
		fmt.Fprintf(b, "            tiers:\n              mode: %s\n              window: %s\n              scope: %s\n              bands:\n", mode, window, scope)
		n := rapid.IntRange(1, 4).Draw(t, "bands")
		ups, rates := make([]int, n), make([]string, n)
		up := 0
		for i := range n {
			up += rapid.IntRange(1, 3000).Draw(t, "up")
			ups[i], rates[i] = up, rate("band")
		}
		if opts.volumeNondecreasing && mode == "volume" {
			sort.Slice(rates, func(i, j int) bool {
				return decimal.RequireFromString(strings.TrimSuffix(rates[i], "%")).LessThan(decimal.RequireFromString(strings.TrimSuffix(rates[j], "%")))
			})
		}
		for i := range n {
			if i < n-1 {
				fmt.Fprintf(b, "                - {up_to: %d, rate: %s}\n", ups[i], rates[i])
			} else {
				fmt.Fprintf(b, "                - {rate: %s}\n", rates[i])
			}
		}
	}
}

type genRow struct {
	date, host, product string
	gross, refunds, fee int64 // in thousandths of a dollar, to exercise rounding
	units               int64
}

func (r genRow) csv() string {
	milli := func(v int64) string {
		sign := ""
		if v < 0 {
			sign, v = "-", -v
		}
		return fmt.Sprintf("%s%d.%03d", sign, v/1000, v%1000)
	}
	return fmt.Sprintf("%s,%s,%s,%s,%s,%s,%d\n", r.date, r.host, r.product, milli(r.gross), milli(r.refunds), milli(r.fee), r.units)
}

const genHeader = "date,host,product,gross,refunds,fees,units\n"

func genRows(t *rapid.T) []genRow {
	n := rapid.IntRange(0, 40).Draw(t, "rows")
	rows := make([]genRow, n)
	for i := range rows {
		month := rapid.IntRange(1, 18).Draw(t, "month")
		year := 2025 + (month-1)/12
		rows[i] = genRow{
			date:    fmt.Sprintf("%d-%02d-%02d", year, (month-1)%12+1, rapid.IntRange(1, 3).Draw(t, "day")),
			host:    rapid.SampledFrom([]string{"h1", "h2"}).Draw(t, "host"),
			product: rapid.SampledFrom([]string{"a1", "a2", "b"}).Draw(t, "product"),
			gross:   rapid.Int64Range(-200_000, 2_000_000).Draw(t, "gross"),
			refunds: rapid.Int64Range(0, 100_000).Draw(t, "refunds"),
			fee:     rapid.Int64Range(0, 50_000).Draw(t, "fee"),
			units:   rapid.Int64Range(0, 100_000).Draw(t, "units"),
		}
	}
	return rows
}

func toCSV(rows []genRow) string {
	var b strings.Builder
	b.WriteString(genHeader)
	for _, r := range rows {
		b.WriteString(r.csv())
	}
	return b.String()
}

// fingerprint prints every figure of every settlement and line.
func fingerprint(res *Result) string {
	var b strings.Builder
	b.WriteString(summary(res))
	b.WriteString(lines(res))
	for _, s := range res.Settlements {
		fmt.Fprintf(&b, "%s %s %s %s %s %s\n", s.Host.ID, s.Period, s.Gross, s.Refunds, s.Fees, s.Basis)
		for _, c := range s.Currencies {
			fmt.Fprintf(&b, "  %s %s %s %s %s %v\n", c.Currency, c.Gross, c.Basis, c.ConvertedGross, c.ConvertedBasis, c.Rate)
		}
	}
	return b.String()
}

func TestInvariants(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ag := genAgreement(rt)
		rows := genRows(rt)
		res := run(t, ag, "2025-Q1..2026-Q2", toCSV(rows))
		base := fingerprint(res)

		for _, s := range res.Settlements {
			// Conservation (SPEC 5): payable + carried_out = share +
			// minimum_topup − cap_reduction − advance_recouped + carried_in.
			left := s.Payable.Add(s.CarriedOut)
			right := s.Share.Add(s.MinimumTopup).Sub(s.CapReduction).Sub(s.AdvanceRecouped).Add(s.CarriedIn)
			if !left.Equal(right) {
				rt.Fatalf("%s %s: payable+carried_out %s != %s", s.Host.ID, s.Period, left, right)
			}
			sum := s.Share.Sub(s.Share)
			for _, l := range s.Lines {
				sum = sum.Add(l.Share)
			}
			if !sum.Equal(s.Share) {
				rt.Fatalf("%s %s: lines sum to %s, share %s", s.Host.ID, s.Period, sum, s.Share)
			}
			if s.Payable.Sign() < 0 || s.AdvanceRemaining.Sign() < 0 || s.CapReduction.Sign() < 0 || s.MinimumTopup.Sign() < 0 {
				rt.Fatalf("%s %s: negative payable, remaining, cap or top-up", s.Host.ID, s.Period)
			}
			if (s.DueDate != nil) != (s.Payable.Sign() > 0) {
				rt.Fatalf("%s %s: due date %v with payable %s", s.Host.ID, s.Period, s.DueDate, s.Payable)
			}
		}

		// Row order.
		shuffled := append([]genRow(nil), rows...)
		rng := rand.New(rand.NewPCG(uint64(len(rows)), 7))
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := fingerprint(run(t, ag, "2025-Q1..2026-Q2", toCSV(shuffled))); got != base {
			rt.Fatalf("row order changed the settlement:\n%s\nvs\n%s", got, base)
		}

		// File split.
		// (Two parts with the same bytes are refused as one report given
		// twice: TestSplitAndDuplicate.)
		cut := rapid.IntRange(0, len(rows)).Draw(rt, "cut")
		if a, b := toCSV(shuffled[:cut]), toCSV(shuffled[cut:]); a != b {
			if got := fingerprint(run(t, ag, "2025-Q1..2026-Q2", a, b)); got != base {
				rt.Fatalf("splitting the file changed the settlement")
			}
		}

		// Pre-aggregation to (host, product, currency, date).
		type key struct{ date, host, product string }
		agg := map[key]*genRow{}
		var keys []key
		for _, r := range rows {
			k := key{r.date, r.host, r.product}
			if agg[k] == nil {
				c := r
				agg[k] = &c
				keys = append(keys, k)
				continue
			}
			a := agg[k]
			a.gross += r.gross
			a.refunds += r.refunds
			a.fee += r.fee
			a.units += r.units
		}
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		var pre []genRow
		for _, k := range keys {
			pre = append(pre, *agg[k])
		}
		if got := fingerprint(run(t, ag, "2025-Q1..2026-Q2", toCSV(pre))); got != base {
			rt.Fatalf("pre-aggregation changed the settlement")
		}

		// History replay: one requested period alone gives what the whole
		// run reports for it.
		for _, p := range []string{"2025-Q3", "2026-Q1"} {
			one := run(t, ag, p, toCSV(rows))
			for _, s := range one.Settlements {
				for _, f := range res.Settlements {
					if f.Host == s.Host && f.Period == s.Period {
						if a, b := fingerprint(&Result{Settlements: []*Settlement{s}}), fingerprint(&Result{Settlements: []*Settlement{f}}); a != b {
							rt.Fatalf("-p %s differs from the full run:\n%s\nvs\n%s", p, a, b)
						}
					}
				}
			}
		}
	})
}
