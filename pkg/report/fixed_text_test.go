package report

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/money"
)

// The integer text of a lean run's lines is decimal's, digit for digit.
func TestFixedTextIsDecimals(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.OneOf(rapid.Int64(), rapid.Int64Range(-100_000, 100_000),
			rapid.SampledFrom([]int64{0, 1, -1, math.MaxInt64, math.MinInt64, 1_000_000, -500_000})).Draw(t, "v")
		scale := rapid.Int32Range(-2, 20).Draw(t, "scale")
		if got, want := fixedText(v, scale), decimal.New(v, -scale).StringFixed(scale); got != want {
			t.Fatalf("fixedText(%d, %d) = %q, want %q", v, scale, got, want)
		}
		var s money.Sum
		for range rapid.IntRange(0, 3).Draw(t, "adds") {
			s.AddChecked(money.Product(v, rapid.Int64().Draw(t, "m")))
		}
		s.Add(v)
		want := decimal.Decimal{}
		if !s.IsZero() {
			want = want.Add(s.Decimal())
		}
		if got := unitsText(s); got != want.String() {
			t.Fatalf("unitsText(%s) = %q, want %q", s.Decimal(), got, want.String())
		}
	})
}
