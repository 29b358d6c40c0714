package settle

import (
	"time"

	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/period"
)

// Collected is one input file read into an Aggregate, with its
// reconciliation.
type Collected struct {
	Input
	Sums *Aggregate // the rows it settles and its late rows, in the original currency
}

// Collection is what Collect read.
type Collection struct {
	Files []Collected
	c     *checker
}

// Missing returns SPEC 8's warnings about reports that seem missing in the
// requested periods (a file with late rows only is not one).
func (col *Collection) Missing(requested []period.Period) []string {
	inputs := make([]Input, len(col.Files))
	for i, f := range col.Files {
		inputs[i] = f.Input
	}
	return col.c.missing(inputs, requested)
}

// Collect reads files as Run does — same checks, same bad rows, same
// reconciliation — but keeps each file's rows as an Aggregate at the
// pre-aggregation grain (one key per day) instead of settling them, for
// Settle and a ledger (SPEC 9). closed, when not nil, names the periods a
// ledger has closed: their rows are counted as late and kept.
func Collect(opts Options, closed func(period.Period) bool, files []string) (*Collection, error) {
	c, err := newChecker(opts)
	if err != nil {
		return nil, err
	}
	c.closed = closed
	c.allDays = true
	if err := samePath(opts.Files, files); err != nil {
		return nil, err
	}
	var dups duplicates
	bad := badRows()
	out := &Collection{c: c}
	for _, path := range files {
		keep := &collector{agg: &Aggregate{}}
		in, err := c.read(path, opts, bad, keep)
		if err != nil {
			return nil, err
		}
		if err := dups.seen(in); err != nil {
			return nil, err
		}
		out.Files = append(out.Files, Collected{Input: in, Sums: keep.agg})
	}
	if bad.Err() != nil {
		inputs := make([]Input, len(out.Files))
		for i, f := range out.Files {
			inputs[i] = f.Input
		}
		return nil, &BadRowsError{Limited: bad, Inputs: inputs}
	}
	return out, nil
}

// collector keeps rows and the reader's per-day sums unconverted.
type collector struct {
	agg *Aggregate
}

func (k *collector) row(r *ingest.Row) {
	k.agg.Add(Key{Host: r.Host.ID, Product: r.Product, Currency: r.Currency, Date: period.FormatDate(r.Date)},
		Sums{Rows: 1, Gross: r.Gross, Refunds: r.Refunds, Taxes: r.Taxes, Fees: r.Fees, Credits: r.Credits, Units: r.Units})
}

func (k *collector) group(g *ingest.Group) {
	k.agg.Add(Key{Host: g.Host.ID, Product: g.Product, Currency: g.Currency, Date: period.FormatDate(g.Day)},
		Sums{Rows: g.Rows, Gross: g.Gross(), Refunds: g.Refunds(), Taxes: g.Taxes(), Fees: g.Fees(), Credits: g.Credits(), Units: g.Units()})
}

func (k *collector) newFile() {}

// dailyRate returns 0: the reader must sum per day and leave the
// conversion to Settle.
func (k *collector) dailyRate(string, time.Time, period.Period) (int64, error) { return 0, nil }
