package settle

import (
	"time"

	"github.com/llamashare/llamashare/pkg/period"
)

// checking is validate's keeper: it keeps nothing, as discard, but gives
// the reader each day's fx rate as a settle run does (aggregate.dailyRate,
// cached). The fast path then converts the rows of a daily-fx currency as
// it reads them and sums them per period; with discard's rate of 0 it kept
// them per day, and validate ran slower than settle (issue 17). A day
// without a rate is found either way: its rows are summed per day and
// classified, and come back row by row as bad.
type checking struct {
	discard
	fx *aggregate // only its rate lookup and cache
}

func newChecking(c *checker) checking {
	return checking{fx: &aggregate{ag: c.ag, rates: c.rates}}
}

func (k checking) dailyRate(cur string, day time.Time, p period.Period) (int64, error) {
	return k.fx.dailyRate(cur, day, p)
}
