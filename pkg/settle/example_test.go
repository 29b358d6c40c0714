package settle_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

const exampleAgreement = `schema: llamashare/v1
currency: USD
period: quarter
hosts:
  aws:
    terms:
      - from: 2025-01-01
        rates:
          - rate: 10%
`

// Settle an aggregate built in memory: two rows' sums, one a period label.
func ExampleSettle() {
	ag, err := agreement.Decode("agreement.yaml", []byte(exampleAgreement))
	if err != nil {
		fmt.Println(err)
		return
	}
	agg := &settle.Aggregate{}
	agg.Add(settle.Key{Host: "aws", Product: "llama-4", Currency: "USD", Date: "2025-01-15"},
		settle.Sums{Rows: 3, Gross: decimal.RequireFromString("1000.05")})
	agg.Add(settle.Key{Host: "aws", Product: "llama-4", Currency: "USD", Date: "2025-03"},
		settle.Sums{Rows: 1, Gross: decimal.RequireFromString("500")})
	res, err := settle.Settle(ag, nil, agg, settle.Request{Periods: []period.Period{{Kind: period.Quarter, Year: 2025, N: 1}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Settlements {
		fmt.Println(s.Host.ID, s.Period, s.Gross.StringFixed(2), s.Share.StringFixed(2), s.Payable.StringFixed(2), period.FormatDate(*s.DueDate))
	}
	// Output: aws 2025-Q1 1500.05 150.01 150.01 2025-04-30
}
