package settle

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// Entries of one product merge into one sums, sorted by name; sums past
// 128 bits carry on in the decimals, exactly. More entries than a chunk
// keep their place.
func TestProductSumsMerge(t *testing.T) {
	big := money.Product(math.MaxInt64, math.MaxInt64) // ≈ 2^126: two overflow a Sum
	var ps productSums
	var pn productNames
	for _, name := range []string{"b", "a", "b", "c", "b"} {
		s := ps.addWide(pn.id(name))
		s.rows = 1
		s.fixed[figGross] = big
		s.fixed[figFees].Add(7)
		s.fixedUnits = big
		s.addCurrencyFixed("EUR", &[5]money.Sum{big}, &[5]money.Sum{big, {}, money.Product(3, 1)})
	}
	pn.sort()
	got := ps.products(&pn)
	if len(got) != 3 || got[0].name != "a" || got[1].name != "b" || got[2].name != "c" {
		t.Fatalf("products %v", got)
	}
	b := got[1].sums
	three := big.Scaled(fixedScale).Mul(decimal.NewFromInt(3))
	total := func(d, f interface{ String() string }) string { return d.String() + "+" + f.String() }
	if g := b.decimal(figGross).Add(b.fixed[figGross].Scaled(fixedScale)); !g.Equal(three) || b.dec == nil {
		t.Errorf("gross %s, want %s", total(b.decimal(figGross), b.fixed[figGross].Decimal()), three)
	}
	if f := b.decimal(figFees).Add(b.fixed[figFees].Scaled(fixedScale)); !f.Equal(decimal.NewFromInt(21).Shift(-fixedScale)) {
		t.Errorf("fees %s", f)
	}
	if u := b.decimal(figUnits).Add(b.fixedUnits.Decimal()); !u.Equal(big.Decimal().Mul(decimal.NewFromInt(3))) {
		t.Errorf("units %s", u)
	}
	if len(b.byCur) != 1 || b.rows != 3 {
		t.Fatalf("currencies %d, rows %d", len(b.byCur), b.rows)
	}
	c := &b.byCur[0]
	orig, conv := c.decimals()
	if o := orig[0].Add(c.forig[0].Decimal()); !o.Equal(big.Decimal().Mul(decimal.NewFromInt(3))) {
		t.Errorf("EUR as read %s", o)
	}
	if v := conv[0].Add(c.fconv[0].Scaled(fixedScale)); !v.Equal(three) {
		t.Errorf("EUR converted %s", v)
	}
	if v := conv[2].Add(c.fconv[2].Scaled(fixedScale)); !v.Equal(decimal.NewFromInt(9).Shift(-fixedScale)) {
		t.Errorf("EUR converted taxes %s", v)
	}
	if (*productSums)(nil).products(&pn) != nil {
		t.Error("no sums, no products")
	}
}

// Entries past the first chunks stay where add put them, and products
// come out by name whatever order the names were first seen in.
func TestProductSumsChunks(t *testing.T) {
	var ps productSums
	var pn productNames
	const n = 3*chunkMax + 5
	kept := make([]*productEntry, n)
	for i := range kept {
		kept[i] = ps.add(pn.id(fmt.Sprintf("p%06d", n-i)))
		kept[i].rows = int32(i)
	}
	for i, s := range kept {
		if int(s.rows) != i {
			t.Fatalf("entry %d moved: rows %d", i, s.rows)
		}
	}
	pn.sort()
	got := ps.products(&pn)
	if len(got) != n {
		t.Fatalf("%d products, want %d", len(got), n)
	}
	for i, p := range got {
		if want := fmt.Sprintf("p%06d", i+1); p.name != want || p.sums.rows != n-1-i {
			t.Fatalf("product %d: %s rows %d, want %s rows %d", i, p.name, p.sums.rows, want, n-1-i)
		}
	}
}

// A group added as a compact entry sums to what the full sums it stood
// for before make: amounts in the settlement currency or converted by the
// reader, small and past an int64 (which go to the full sums).
func TestCompactEntriesEqualFullSums(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		a := &aggregate{ag: &agreement.Agreement{Currency: "USD"}, byHP: map[hp]*productSums{}}
		host := &agreement.Host{ID: "h"}
		p := period.Period{Kind: period.Quarter, Year: 2025, N: 1}
		full := &productSums{}
		amount := func(label string) money.Sum {
			var s money.Sum
			for range rapid.IntRange(1, 3).Draw(rt, label+"-n") {
				s.AddChecked(money.Product(rapid.OneOf(rapid.Int64Range(-1e9, 1e9), rapid.Int64()).Draw(rt, label), rapid.SampledFrom([]int64{1, 1e12, math.MaxInt64}).Draw(rt, label+"-m")))
			}
			return s
		}
		for range rapid.IntRange(1, 30).Draw(rt, "groups") {
			g := ingest.Group{Key: ingest.Key{Host: host, Period: p, Product: rapid.SampledFrom([]string{"a", "b", "c"}).Draw(rt, "product"),
				Currency: "USD", Converted: rapid.Bool().Draw(rt, "converted")}, Rows: rapid.IntRange(1, 5).Draw(rt, "rows")}
			if g.Converted {
				g.Currency = rapid.SampledFrom([]string{"EUR", "JPY", "USD"}).Draw(rt, "currency")
			}
			for i := range g.Sums {
				g.Sums[i] = amount("sum")
			}
			for i := range g.Original {
				g.Original[i] = amount("orig")
			}
			a.group(&g)
			a.groupInto(full.addWide(a.names.id(g.Product)), &g)
		}
		a.names.sort()
		got, want := a.byHP[hp{"h", p}].products(&a.names), full.products(&a.names)
		if len(got) != len(want) {
			rt.Fatalf("%d products, want %d", len(got), len(want))
		}
		for k := range got {
			if g, w := totals(got[k].sums), totals(want[k].sums); got[k].name != want[k].name || g != w {
				rt.Fatalf("%s: compact\n%s\nfull\n%s", got[k].name, g, w)
			}
		}
	})
}

// totals prints the exact figures of s: rows, the five figures and units,
// and each currency's as read and converted.
func totals(s *sums) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows %d", s.rows)
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&b, " %s", s.decimal(i).Add(s.fixed[i].Scaled(fixedScale)))
	}
	fmt.Fprintf(&b, " units %s\n", s.decimal(figUnits).Add(s.fixedUnits.Decimal()))
	curs := append([]curSums(nil), s.byCur...)
	sort.Slice(curs, func(i, j int) bool { return curs[i].cur < curs[j].cur })
	for _, c := range curs {
		orig, conv := c.decimals()
		fmt.Fprintf(&b, "  %s", c.cur)
		for i := 0; i < 5; i++ {
			fmt.Fprintf(&b, " %s/%s", orig[i].Add(c.forig[i].Decimal()), conv[i].Add(c.fconv[i].Scaled(fixedScale)))
		}
		b.WriteString("\n")
	}
	return b.String()
}
