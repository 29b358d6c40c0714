package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/settle"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// Terms decodes the agreement and fx rates an entry kept.
func (e *Entry) Terms() (*agreement.Agreement, *fx.Table, error) {
	ag, err := agreement.Decode(e.Agreement.Path, []byte(e.Agreement.Text))
	if err != nil {
		return nil, nil, fmt.Errorf("its agreement: %v", err)
	}
	if ag.SHA256 != e.Agreement.SHA256 {
		return nil, nil, fmt.Errorf("its agreement text does not match its sha256")
	}
	if ag.FX == nil {
		if e.FX != nil {
			return nil, nil, fmt.Errorf("it keeps fx rates its agreement does not use")
		}
		return ag, nil, nil
	}
	if e.FX == nil {
		return nil, nil, fmt.Errorf("its agreement uses fx rates it does not keep")
	}
	if digest([]byte(e.FX.Text)) != e.FX.SHA256 {
		return nil, nil, fmt.Errorf("its fx rates text does not match its sha256")
	}
	rates, err := fx.Read(e.FX.Path, strings.NewReader(e.FX.Text), e.FX.Method)
	if err != nil {
		return nil, nil, fmt.Errorf("its fx rates: %v", err)
	}
	return ag, rates, nil
}

// Rederive settles entry i of the ledger again from what the ledger holds:
// the entries before it as the closed periods, its own inputs' sums, its
// own agreement and rates. It returns the result the close issued.
func (l *Ledger) Rederive(i int, hosts []string) (*settle.Result, error) {
	e := l.Entries[i]
	ag, rates, err := e.Terms()
	if err != nil {
		return nil, err
	}
	r := &Run{Agreement: ag, Rates: rates, Ledger: &Ledger{Dir: l.Dir, Entries: l.Entries[:i]}, Hosts: hosts}
	for j := range e.Inputs {
		in := &e.Inputs[j]
		agg, err := in.Aggregate()
		if err != nil {
			return nil, err
		}
		ni := NewInput{Collected: settle.Collected{Sums: agg}}
		ni.Path, ni.SHA256, ni.Format, ni.Rows = in.Path, in.SHA256, in.Format, in.Rows
		ni.Settled, ni.Outside, ni.Late, ni.Rejected = in.Settled, in.Outside, in.Late, in.Rejected
		if in.Replaces != nil {
			ni.Replaces = *in.Replaces
		}
		r.Inputs = append(r.Inputs, ni)
	}
	r.Periods = nil
	p := e.PeriodOf()
	if open := FirstOpen(ag, r.Ledger); open != p {
		return nil, fmt.Errorf("it closes %s where %s was next", p, open)
	}
	r.Periods = append(r.Periods, p)
	return r.Settle()
}

// Verify checks a ledger folder (SPEC 9): every entry as written, the hash
// chain unbroken, no period missing, and every entry's issued settlements
// re-derived from its own agreement, rates and sums. It returns every
// problem, each naming its entry; an I/O error is returned apart.
func Verify(dir, version string) (*Ledger, Problems, error) { return VerifyIn("", dir, version) }

// VerifyIn is Verify with a relative dir taken from the folder wd; the
// ledger and its messages keep dir as given.
func VerifyIn(wd workdir.Dir, dir, version string) (*Ledger, Problems, error) {
	entries, data, probs, err := read(wd, dir)
	if err != nil {
		return nil, nil, err
	}
	probs = append(probs, check(entries, data)...)
	l := &Ledger{Dir: dir, Entries: entries}
	for i, e := range entries {
		for _, in := range e.Inputs {
			n := 0
			for _, s := range in.Sums {
				n += s.Rows
			}
			if n != in.Settled+in.Late || in.Rows != in.Settled+in.Outside+in.Late+in.Rejected {
				probs = append(probs, Problem{e.file, fmt.Sprintf("input %s: its row counts do not add up", in.Path)})
			}
		}
		res, err := l.Rederive(i, nil)
		if err != nil {
			probs = append(probs, Problem{e.file, "cannot be re-derived: " + err.Error()})
			continue
		}
		got, err := settlementsJSON(res, version)
		if err != nil {
			return nil, nil, err
		}
		var want bytes.Buffer
		if err := json.Compact(&want, e.Settlements); err != nil {
			probs = append(probs, Problem{e.file, err.Error()})
			continue
		}
		if !bytes.Equal(got, want.Bytes()) {
			probs = append(probs, Problem{e.file, "its issued settlements differ from those re-derived from its agreement, rates and sums" + firstDiff(got, want.Bytes())})
		}
	}
	return l, probs, nil
}

// firstDiff shows where two renderings part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-40)
	return fmt.Sprintf(" (re-derived …%s… where the entry has …%s…)", a[lo:min(len(a), i+20)], b[lo:min(len(b), i+20)])
}
