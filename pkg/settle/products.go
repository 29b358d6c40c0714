package settle

import (
	"slices"
	"strings"
)

// productSums are a host period's product sums as the reader hands them
// over: appended, a product possibly more than once (a group per
// currency, per input file), and merged by name only when the period is
// settled (products). With a million distinct products a map of them was
// most of the hand-over's time — a hash and a miss per group — and an
// allocation each; the entries here sit side by side instead.
type productSums struct {
	list []productEntry
}

type productEntry struct {
	name string
	s    sums
}

// add returns new sums for product name, to add one group to. The
// pointer is good until the next add.
func (ps *productSums) add(name string) *sums {
	ps.list = append(ps.list, productEntry{name: name})
	return &ps.list[len(ps.list)-1].s
}

// named is a product's sums and its name.
type named struct {
	name string
	sums *sums
}

// products returns the period's products by name, each product's
// entries merged into its first; none when ps is nil.
func (ps *productSums) products() []named {
	if ps == nil {
		return nil
	}
	list := make([]named, len(ps.list))
	for i := range ps.list {
		list[i] = named{ps.list[i].name, &ps.list[i].s}
	}
	slices.SortFunc(list, func(a, b named) int { return strings.Compare(a.name, b.name) })
	out := list[:0]
	for _, p := range list {
		if n := len(out); n > 0 && out[n-1].name == p.name {
			out[n-1].sums.merge(p.sums)
			continue
		}
		out = append(out, p)
	}
	return out
}

// merge adds o's figures to s's, as adding o's groups one by one would:
// the fixed-point sums while they fit, the decimals for the rest.
func (s *sums) merge(o *sums) {
	s.rows += o.rows
	for i := range s.fixed {
		if !s.fixed[i].AddChecked(o.fixed[i]) {
			s.addDec(i, o.fixed[i].Scaled(fixedScale))
		}
	}
	if !s.fixedUnits.AddChecked(o.fixedUnits) {
		s.addDec(figUnits, o.fixedUnits.Decimal())
	}
	if o.dec != nil {
		for i := range o.dec {
			s.addDec(i, o.dec[i])
		}
	}
	for k := range o.byCur {
		c := &o.byCur[k]
		t := s.cur(c.cur)
		for i := range c.forig {
			if !t.forig[i].AddChecked(c.forig[i]) {
				t.addDec(0, i, c.forig[i].Decimal())
			}
			if !t.fconv[i].AddChecked(c.fconv[i]) {
				t.addDec(1, i, c.fconv[i].Scaled(fixedScale))
			}
			if c.dec != nil {
				t.addDec(0, i, c.dec[0][i])
				t.addDec(1, i, c.dec[1][i])
			}
		}
	}
}
