// Package report renders a settlement result: table, CSV, JSON, Markdown,
// and writes output files atomically.
package report

import (
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// SchemaV1 names the JSON output's schema (SPEC 6).
const SchemaV1 = "llamashare/settlement/v1"

// Document is the JSON output of SPEC 6, field for field and in order.
// It is also what --expect and check read back.
type Document struct {
	Schema      string       `json:"schema"`
	Tool        Tool         `json:"tool"`
	Agreement   FileRef      `json:"agreement"`
	FX          *FXRef       `json:"fx"` // null when the agreement has no fx
	Inputs      []InputDoc   `json:"inputs"`
	Currency    string       `json:"currency"`
	Periods     []string     `json:"periods"`
	Settlements []Settlement `json:"settlements"`
	Totals      Totals       `json:"totals"`
}

// Tool names the program that produced a document.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// FileRef is a file and its sha256.
type FileRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// FXRef is the fx rates file a result was converted with (SPEC 8).
type FXRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Method string `json:"method"`
}

// CurrencyDoc is one original currency's part of a settlement (SPEC 8):
// sums in that currency, the same converted, and the effective rate.
type CurrencyDoc struct {
	Currency       string  `json:"currency"`
	Gross          string  `json:"gross"`
	Basis          string  `json:"basis"`
	ConvertedGross string  `json:"converted_gross"`
	ConvertedBasis string  `json:"converted_basis"`
	Rate           *string `json:"rate"` // null when gross is zero
}

// InputDoc is one input file with its reconciliation.
type InputDoc struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	Format   string `json:"format"`
	Rows     int    `json:"rows"`
	Settled  int    `json:"settled"`
	Outside  int    `json:"outside"`
	Late     *int   `json:"late,omitempty"` // ledger runs only (SPEC 9)
	Rejected int    `json:"rejected"`
}

// Settlement is one host and period; money is text at the rounding scale.
type Settlement struct {
	Host             string `json:"host"`
	HostName         string `json:"host_name"`
	Period           string `json:"period"`
	PeriodStart      string `json:"period_start"`
	PeriodEnd        string `json:"period_end"`
	Currency         string `json:"currency"`
	Gross            string `json:"gross"`
	Refunds          string `json:"refunds"`
	Taxes            string `json:"taxes"`
	Fees             string `json:"fees"`
	Credits          string `json:"credits"`
	Basis            string `json:"basis"`
	Share            string `json:"share"`
	MinimumTopup     string `json:"minimum_topup"`
	CapReduction     string `json:"cap_reduction"`
	AdvanceRecouped  string `json:"advance_recouped"`
	AdvanceRemaining string `json:"advance_remaining"`
	CarriedIn        string `json:"carried_in"`
	CarriedOut       string `json:"carried_out"`
	// PriorAdjustments and Adjustments are there only in a ledger run.
	PriorAdjustments *string       `json:"prior_adjustments,omitempty"`
	Payable          string        `json:"payable"`
	DueDate          *string       `json:"due_date"`
	Adjustments      *[]Adjustment `json:"adjustments,omitempty"`
	// Currencies breaks the revenue down by original currency (SPEC 8).
	Currencies []CurrencyDoc `json:"currencies"`
	Lines      []Line        `json:"lines"`
}

// Adjustment is a prior-period adjustment line (SPEC 9).
type Adjustment struct {
	Period     string `json:"period"`
	Settled    string `json:"settled"`
	Restated   string `json:"restated"`
	Adjustment string `json:"adjustment"`
}

// Line is one share line.
type Line struct {
	Rule    string  `json:"rule"`
	Product string  `json:"product"`
	Band    *int    `json:"band"`
	Basis   string  `json:"basis"`
	Units   string  `json:"units"`
	Rate    *string `json:"rate"`
	Price   *string `json:"price"`
	Per     *string `json:"per"` // a per_unit price's divisor; null otherwise
	Share   string  `json:"share"`
}

// Totals sums the settlements.
type Totals struct {
	Gross   string `json:"gross"`
	Basis   string `json:"basis"`
	Share   string `json:"share"`
	Payable string `json:"payable"`
}

// Build turns a result into its document. version is the tool's version.
func Build(res *settle.Result, version string) *Document {
	doc := buildHead(res, version)
	for _, s := range res.Settlements {
		doc.Settlements = append(doc.Settlements, buildSettlement(res.Agreement, s, true))
	}
	return doc
}

// buildHead is the document of res without its settlements.
func buildHead(res *settle.Result, version string) *Document {
	ag := res.Agreement
	m := func(d decimal.Decimal) string { return ag.Rounding.Format(d) }
	doc := &Document{
		Schema:      SchemaV1,
		Tool:        Tool{Name: "llamashare", Version: version},
		Agreement:   FileRef{Path: ag.Path, SHA256: ag.SHA256},
		Inputs:      []InputDoc{},
		Currency:    ag.Currency,
		Periods:     []string{},
		Settlements: []Settlement{},
		Totals: Totals{
			Gross: m(res.Totals.Gross), Basis: m(res.Totals.Basis),
			Share: m(res.Totals.Share), Payable: m(res.Totals.Payable),
		},
		FX: fxRef(res.FX),
	}
	for _, in := range res.Inputs {
		doc.Inputs = append(doc.Inputs, InputDoc{Path: in.Path, SHA256: in.SHA256, Format: in.Format,
			Rows: in.Rows, Settled: in.Settled, Outside: in.Outside, Rejected: in.Rejected})
		if res.Ledger {
			late := in.Late
			doc.Inputs[len(doc.Inputs)-1].Late = &late
		}
	}
	for _, p := range res.Periods {
		doc.Periods = append(doc.Periods, p.String())
	}
	return doc
}

// buildSettlement is one settlement of the document; without lines its
// Lines are left empty (the summary formats do not show them).
func buildSettlement(ag *agreement.Agreement, s *settle.Settlement, lines bool) Settlement {
	m := func(d decimal.Decimal) string { return ag.Rounding.Format(d) }
	out := Settlement{
		Host: s.Host.ID, HostName: s.Host.DisplayName(), Period: s.Period.String(),
		PeriodStart: period.FormatDate(s.Period.Start()), PeriodEnd: period.FormatDate(s.Period.End()),
		Currency:   ag.Currency,
		Currencies: []CurrencyDoc{},
		Lines:      []Line{},
	}
	for _, f := range settlementFields {
		if f.figure != nil {
			*f.doc(&out) = m(f.figure(s))
		}
	}
	for _, c := range s.Currencies {
		cd := CurrencyDoc{Currency: c.Currency, Gross: m(c.Gross), Basis: m(c.Basis),
			ConvertedGross: m(c.ConvertedGross), ConvertedBasis: m(c.ConvertedBasis)}
		if c.Rate != nil {
			r := c.Rate.StringFixed(settle.RateScale)
			cd.Rate = &r
		}
		out.Currencies = append(out.Currencies, cd)
	}
	if s.DueDate != nil {
		d := period.FormatDate(*s.DueDate)
		out.DueDate = &d
	}
	if lf := s.Ledger; lf != nil {
		prior := m(lf.PriorAdjustments)
		adj := []Adjustment{}
		for _, a := range lf.Adjustments {
			adj = append(adj, Adjustment{Period: a.Period.String(), Settled: m(a.Settled), Restated: m(a.Restated), Adjustment: m(a.Adjustment)})
		}
		out.PriorAdjustments, out.Adjustments = &prior, &adj
	}
	if lines {
		_ = eachLine(ag.Rounding, s, func(l *Line) error {
			out.Lines = append(out.Lines, *l)
			return nil
		})
	}
	return out
}

// buildLine is one share line of the document.
func buildLine(m func(decimal.Decimal) string, l settle.Line) Line {
	jl := Line{Rule: l.Rule.Name, Product: l.Product, Basis: m(l.Basis), Units: l.Units.String(), Share: m(l.Share)}
	if l.Band > 0 {
		b := l.Band
		jl.Band = &b
	}
	if l.Rate != nil {
		r := l.Rate.String()
		jl.Rate = &r
	}
	if l.Price != nil {
		p := l.Price.String()
		jl.Price = &p
		if l.Rule.PerUnit != nil {
			per := l.Rule.PerUnit.Per.String()
			jl.Per = &per
		}
	}
	return jl
}
