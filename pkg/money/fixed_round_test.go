package money

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// RoundSum agrees with Round on the same decimal, value and exponent, in
// every mode, or says it cannot (and then only for the reasons it gives).
func TestRoundSumAgreesWithRound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := Rounding{Mode: rapid.SampledFrom(Modes).Draw(t, "mode"), Scale: rapid.Int32Range(0, 8).Draw(t, "scale")}
		scale := rapid.Int32Range(0, 24).Draw(t, "sumScale")
		var s Sum
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0: // small, near a half
			s.Add(rapid.Int64Range(-100_000, 100_000).Draw(t, "v"))
		case 1:
			s.Add(rapid.Int64().Draw(t, "v"))
		default: // 128 bits
			s = Product(rapid.Int64().Draw(t, "a"), rapid.Int64().Draw(t, "b"))
		}
		exact := s.Scaled(scale)
		got, ok := r.RoundSum(s, scale)
		want := r.Round(exact)
		if !ok {
			shift := scale - r.Scale
			if shift >= 0 && shift <= 18 && want.Abs().LessThan(decimal.New(1<<62, -r.Scale)) {
				t.Fatalf("RoundSum(%s, %d) refused a value it can round: %s", exact, scale, want)
			}
			return
		}
		if !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Fatalf("RoundSum(%s) %s/%d = %s (exp %d), Round = %s (exp %d)", exact, r.Mode, r.Scale, got, got.Exponent(), want, want.Exponent())
		}
	})
}

// Halves, in every mode: the cases a rounding gets wrong first.
func TestRoundSumHalves(t *testing.T) {
	for _, m := range Modes {
		r := Rounding{Mode: m, Scale: 2}
		for _, v := range []int64{5, 15, 25, -5, -15, -25, 4, 6, -4, -6, 0, 1, -1, 9, -9} {
			var s Sum
			s.Add(v)
			want := r.Round(s.Scaled(3))
			got, ok := r.RoundSum(s, 3)
			if !ok || !got.Equal(want) {
				t.Errorf("%s: %s → %s (ok %v), want %s", m, s.Scaled(3), got, ok, want)
			}
		}
	}
}

// A total beyond what an int64 of the rounded scale holds is refused, not
// wrapped: the caller rounds the decimal.
func TestRoundSumOverflowFallsBack(t *testing.T) {
	r := Rounding{Mode: HalfUp, Scale: 2}
	big := Product(math.MaxInt64, 1000) // 2^63 × 1000 - 1000 units
	if _, ok := r.RoundSum(big, 2); ok {
		t.Error("a 128-bit total at scale 2 must not fit")
	}
	var max Sum
	max.Add(math.MaxInt64)
	if _, ok := r.RoundSum(max, 1); ok {
		t.Error("scale below the rounding's must be refused")
	}
	if _, ok := r.RoundSum(max, 40); ok {
		t.Error("a shift beyond 10^18 must be refused")
	}
	// (2^63-1) + 0.1 rounded up is 2^63: one past int64, refused.
	up := Rounding{Mode: Up, Scale: 0}
	edge := Product(math.MaxInt64, 10)
	if got, ok := up.RoundSum(edge, 1); !ok || got.String() != "9223372036854775807" {
		t.Errorf("(2^63-1) exactly = %s (ok %v)", got, ok)
	}
	edge.Add(1)
	if _, ok := up.RoundSum(edge, 1); ok {
		t.Error("(2^63-1) + 0.1 rounded up overflows int64 and must be refused")
	}
}
