package settle

import (
	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/period"
)

// Adjustment is a prior-period adjustment line (SPEC 9): in the first open
// period, what a closed period's payable is restated to against what has
// been settled for it so far.
type Adjustment struct {
	Period     period.Period
	Settled    decimal.Decimal
	Restated   decimal.Decimal
	Adjustment decimal.Decimal // Restated − Settled
	Files      []string        // the late or replacing input files of this run with rows in Period
}

// LedgerFigures are what a ledger run adds to a settlement.
type LedgerFigures struct {
	// OwnPayable is SPEC 5 step 10's payable under the restated state,
	// before prior adjustments.
	OwnPayable       decimal.Decimal
	PriorAdjustments decimal.Decimal
	Adjustments      []Adjustment // chronological; empty when none
}
