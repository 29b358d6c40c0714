// The agreement file's vocabulary: the keys each mapping may hold and the
// allowed values of its enumerated settings.

package agreement

import (
	"regexp"

	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/money"
)

// The keys each mapping of the agreement file may hold, in documentation
// order (the order "did you mean" prefers on a tie).
var (
	topKeys      = []string{"schema", "name", "licensor", "currency", "period", "rounding", "fx", "hosts", "formats"}
	roundingKeys = []string{"mode", "scale"}
	fxKeys       = []string{"rates", "method"}
	hostKeys     = []string{"name", "aliases", "terms"}
	termsKeys    = []string{"from", "to", "deduct", "rates", "minimum", "cap", "advance", "payout", "reports"}
	ruleKeys     = []string{"name", "products", "de_minimis", "rate", "tiers", "per_unit"}
	tiersKeys    = []string{"mode", "window", "scope", "bands"}
	bandKeys     = []string{"up_to", "rate"}
	perUnitKeys  = []string{"price", "per"}
	minimumKeys  = []string{"amount", "per"}
	capKeys      = []string{"amount", "per"}
	advanceKeys  = []string{"amount", "received"}
	payoutKeys   = []string{"threshold", "due_days"}
	formatKeys   = []string{"host", "delimiter", "columns", "date_format", "decimal", "negate", "products", "amount", "kind", "kinds", "skip_lines", "ignore_prefix", "ignore_columns"}
)

// Allowed values of the enumerated settings.
var (
	periodKinds   = []string{"month", "quarter", "year"}
	fxMethods     = []string{fx.Daily, fx.PeriodEnd, fx.PeriodAverage}
	tierModes     = []string{Graduated, Volume}
	tierWindows   = []string{WindowPeriod, WindowYear, WindowLifetime}
	tierScopes    = []string{ScopeRule, ScopeProduct}
	minimumPers   = []string{PerPeriod, PerYear}
	capPers       = []string{PerPeriod, PerYear, PerLifetime}
	delimiters    = []string{",", ";", "\t", "|"}
	decimalSeps   = []string{".", ","}
	negatable     = []string{"refunds", "taxes", "fees", "credits", "gross", "units"}
	kindMeanings  = []string{"gross", "refunds", "taxes", "fees", "credits", "units", "ignore"}
	ruleShapes    = []string{"rate", "tiers", "per_unit"}
	reportKinds   = []string{ReportsExpected, ReportsNoneExpected}
	roundingModes = func() []string {
		s := make([]string, len(money.Modes))
		for i, m := range money.Modes {
			s[i] = string(m)
		}
		return s
	}()
)

// hostIDPattern is the form of a host id: lowercase letters, digits, '-'.
var hostIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// maxScale bounds rounding.scale: finer than the precision divisions are
// carried to makes no sense, and a huge scale would make every formatted
// amount huge.
const maxScale = money.DivPlaces

// defaultDueDays is payout.due_days when it is not given (SPEC 2).
const defaultDueDays = 30
