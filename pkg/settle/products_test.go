package settle

import (
	"fmt"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/money"
)

// Entries of one product merge into one sums, sorted by name; sums past
// 128 bits carry on in the decimals, exactly. More entries than a chunk
// keep their place.
func TestProductSumsMerge(t *testing.T) {
	big := money.Product(math.MaxInt64, math.MaxInt64) // ≈ 2^126: two overflow a Sum
	var ps productSums
	var pn productNames
	for _, name := range []string{"b", "a", "b", "c", "b"} {
		s := ps.add(pn.id(name))
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
	kept := make([]*sums, n)
	for i := range kept {
		kept[i] = ps.add(pn.id(fmt.Sprintf("p%06d", n-i)))
		kept[i].rows = i
	}
	for i, s := range kept {
		if s.rows != i {
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
