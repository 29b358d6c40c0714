package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/limits"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/report"
	"github.com/llamashare/llamashare/pkg/settle"
)

// Sources are the texts a close keeps whole: the agreement file and the
// fx rates file it read.
type Sources struct {
	Agreement []byte
	FX        []byte // nil without fx
}

// ReadSources reads the agreement's text and its fx rates file.
func ReadSources(r *Run) (Sources, error) {
	var src Sources
	var err error
	ag := r.Agreement
	if src.Agreement, err = limits.ReadFile(ag.WorkDir, ag.Path, agreement.MaxSize, "an agreement"); err != nil {
		return src, err
	}
	if ag.FX != nil {
		if src.FX, err = limits.ReadFile(ag.WorkDir, ag.RatesPath(), limits.Rates, "an fx rates file"); err != nil {
			return src, err
		}
	}
	return src, nil
}

// Close settles the first open period p with the run (SPEC 9) and returns
// the entry that closes it, not yet written: Write stores it. It refuses a
// period that is closed or not the next one.
func Close(r *Run, p period.Period, on time.Time, src Sources, version string) (*Entry, *settle.Result, error) {
	if e := r.Ledger.Entry(p); e != nil {
		return nil, nil, fmt.Errorf("%s is already closed (%s, closed on %s)", p, e.file, e.ClosedOn)
	}
	if open := FirstOpen(r.Agreement, r.Ledger); p != open {
		return nil, nil, fmt.Errorf("cannot close %s: the next period to close is %s", p, open)
	}
	r.Periods = []period.Period{p}
	res, err := r.Settle()
	if err != nil {
		return nil, nil, err
	}
	ag := r.Agreement
	e := &Entry{
		Schema:    Schema,
		Period:    p.String(),
		ClosedOn:  period.FormatDate(on),
		Tool:      report.Tool{Name: "llamashare", Version: version},
		Agreement: Document{Path: ag.Path, SHA256: ag.SHA256, Text: string(src.Agreement)},
		Inputs:    []Input{},
	}
	if last := r.Ledger.Last(); last != nil {
		d := last.digest
		e.Prev = &d
	}
	if ag.FX != nil {
		e.FX = &FXDocument{Path: ag.FX.Rates, SHA256: digest(src.FX), Method: ag.FX.Method, Text: string(src.FX)}
	}
	for _, in := range r.Inputs {
		rec := Input{Path: in.Path, SHA256: in.SHA256, Format: in.Format, Rows: in.Rows, Settled: in.Settled,
			Outside: in.Outside, Late: in.Late, Rejected: in.Rejected, Sums: SumsOf(in.Sums)}
		if in.Replaces != "" {
			s := in.Replaces
			rec.Replaces = &s
		}
		e.Inputs = append(e.Inputs, rec)
	}
	if e.Settlements, err = settlementsJSON(res, version); err != nil {
		return nil, nil, err
	}
	return e, res, nil
}

// settlementsJSON renders a result's settlements as SPEC 6 JSON, compact.
func settlementsJSON(res *settle.Result, version string) (json.RawMessage, error) {
	doc := report.Build(res, version)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc.Settlements); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
