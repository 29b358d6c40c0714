// Package settle is the engine: it reads revenue through pkg/ingest,
// aggregates it per host, product and period, and replays every period of
// each terms version in order (SPEC 5) to produce settlements.
package settle

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// Result is a whole settlement run.
type Result struct {
	Agreement   *agreement.Agreement
	FX          *FXSource // the fx rates file read; nil when the agreement has none
	Inputs      []Input
	Periods     []period.Period // requested periods, chronological
	Settlements []*Settlement   // hosts by id, then periods
	Totals      Totals
	Warnings    []string
	Ledger      bool // a run with a ledger (SPEC 9): inputs count late rows
}

// FXSource is the fx rates file a run read: part of the provenance (SPEC 8).
type FXSource struct {
	Path   string // as opened: the agreement's folder joined with fx.rates
	SHA256 string // of the file's bytes
	Method string
}

// Input is one input file with its reconciliation (SPEC 4.3):
// Rows = Settled + Outside + Late + Rejected.
type Input struct {
	ingest.Input
	Settled  int
	Outside  int
	Late     int // rows dated in a period the ledger has closed (SPEC 9)
	Rejected int

	periods map[period.Period]bool // the settlement periods its good rows fall in
}

// Totals sums the reported settlements.
type Totals struct {
	Gross, Basis, Share, Payable decimal.Decimal
}

// Settlement is one host's result for one period.
type Settlement struct {
	Host   *agreement.Host
	Period period.Period
	Terms  *agreement.Terms

	Gross, Refunds, Taxes, Fees, Credits decimal.Decimal
	Basis, Share                         decimal.Decimal
	MinimumTopup, CapReduction           decimal.Decimal
	AdvanceRecouped, AdvanceRemaining    decimal.Decimal
	CarriedIn, CarriedOut, Payable       decimal.Decimal
	DueDate                              *time.Time

	// Ledger is set in a run with a ledger (SPEC 9), nil otherwise.
	Ledger *LedgerFigures

	// Currencies breaks the figures down by original currency, one entry
	// per currency other than the settlement currency, sorted (SPEC 8).
	Currencies []Currency

	Lines []Line
	// Fixed holds the share lines instead of Lines in a lean run's
	// periods whose rules are all flat rates (leanPeriod): in integers,
	// in the same order. EachLine gives either as Lines.
	Fixed    []FixedLine
	Products []Product // per product figures, by rule then product
	Trace    Trace     // the intermediate figures explain prints
}

// Product holds one product's rounded figures for a period.
type Product struct {
	Product                              string
	Rule                                 *agreement.Rule
	Rows                                 int
	Gross, Refunds, Taxes, Fees, Credits decimal.Decimal
	Units                                decimal.Decimal
	Basis                                decimal.Decimal
}

// Line is one share line (SPEC 5.4).
type Line struct {
	Rule    *agreement.Rule
	Product string // "*" for a rule-scoped tier line
	Band    int    // 1-based tier band; 0 when the rule has no tiers
	Basis   decimal.Decimal
	Units   decimal.Decimal
	Rate    *money.Rate
	Price   *decimal.Decimal
	Share   decimal.Decimal
}

// Scope is a tier or de minimis scope's position in a period, for explain.
type Scope struct {
	Rule      *agreement.Rule
	Product   string          // "*" for the whole rule
	Basis     decimal.Decimal // B: this period's basis
	Before    decimal.Decimal // C: the window's basis before this period
	DeMinimis bool            // B fell below the rule's de_minimis
}

// Trace keeps the steps of SPEC 5 that are not output fields.
type Trace struct {
	Scopes          []Scope
	MinimumRequired *decimal.Decimal // the minimum this period had to reach, when one applied
	MinimumShares   decimal.Decimal  // shares counted against it
	MinimumPeriods  int              // per year: periods of the year the version covers
	CapWindowSum    decimal.Decimal  // Σ(share + topup) in the cap window so far
	CapEarlier      decimal.Decimal  // reductions earlier in the cap window
	AdvanceBefore   decimal.Decimal
	Owed            decimal.Decimal
	BelowThreshold  bool
	Due             decimal.Decimal
}
