package settle

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

// replay settles the converted product sums of every host and period
// (SPEC 5): every period of each terms version up to the last requested
// one, in order; the requested ones are reported. Run and Settle share it.
// Hosts share no state, so they are settled side by side, one goroutine
// per core; settlements and warnings come out in host order as before.
func replay(res *Result, c *checker, keep *aggregate, periods []period.Period, warn func(string)) {
	ag, selected := c.ag, c.selected
	// Requested periods.
	res.Periods = periods
	if len(res.Periods) == 0 {
		return
	}
	last := res.Periods[len(res.Periods)-1]
	requested := map[period.Period]bool{}
	for _, p := range res.Periods {
		requested[p] = true
	}

	var hosts []*agreement.Host
	for _, h := range ag.Hosts {
		if len(selected) == 0 || selected[h.ID] {
			hosts = append(hosts, h)
		}
	}
	// Each host's sums to itself, so a host's goroutine can let its
	// settled periods' sums go.
	byHP := keep.byHP
	keep.names.sort()
	byHost := map[string]map[period.Period]*productSums{}
	for k, m := range byHP {
		ph := byHost[k.host]
		if ph == nil {
			ph = map[period.Period]*productSums{}
			byHost[k.host] = ph
		}
		ph[k.p] = m
		delete(byHP, k)
	}
	outs := make([]hostReplay, len(hosts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(hosts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(hosts); i = int(next.Add(1) - 1) {
				outs[i] = replayHost(c, &keep.names, hosts[i], byHost[hosts[i].ID], last, requested)
			}
		}()
	}
	wg.Wait()
	for _, o := range outs {
		res.Settlements = append(res.Settlements, o.settlements...)
		if o.warning != "" {
			res.Warnings = append(res.Warnings, o.warning)
			warn(o.warning)
		}
	}
	for _, s := range res.Settlements {
		res.Totals.Gross = res.Totals.Gross.Add(s.Gross)
		res.Totals.Basis = res.Totals.Basis.Add(s.Basis)
		res.Totals.Share = res.Totals.Share.Add(s.Share)
		res.Totals.Payable = res.Totals.Payable.Add(s.Payable)
	}
}

// hostReplay is one host's part of a replay.
type hostReplay struct {
	settlements []*Settlement // the requested periods, in order
	warning     string        // periods without rows that later ones build on; "" when none
}

// replayHost settles every period of h's versions up to last; byP holds
// its product sums by period, and loses each period's once it is settled.
func replayHost(c *checker, names *productNames, h *agreement.Host, byP map[period.Period]*productSums, last period.Period, requested map[period.Period]bool) hostReplay {
	var out hostReplay
	hs := &hostRun{ag: c.ag, host: h, lean: c.lean, names: names}
	var empty []period.Period
	for _, v := range h.Terms {
		if v.From.After(last) {
			break
		}
		vs := newVersionState(v)
		for p := v.From; !p.After(last) && v.Covers(p); p = p.Next() {
			products := byP[p]
			st := hs.period(vs, p, products)
			// Versions do not overlap: nothing settles this period
			// again, and its sums can go while later ones settle.
			delete(byP, p)
			if requested[p] {
				if c.lean {
					st.Products, st.Trace.Scopes = nil, nil
				}
				out.settlements = append(out.settlements, st)
			} else if products == nil && p.Before(last) {
				empty = append(empty, p)
			}
		}
	}
	if len(empty) > 0 {
		labels := make([]string, len(empty))
		for i, p := range empty {
			labels[i] = p.String()
		}
		out.warning = fmt.Sprintf("host %s has no rows in %s, which the state of later periods builds on", h.ID, strings.Join(labels, ", "))
	}
	return out
}
