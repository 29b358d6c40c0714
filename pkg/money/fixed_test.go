package money

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseFixedAgreesWithParseAmount(t *testing.T) {
	for _, s := range []string{
		"0", "12", "-12", "1234.56", "-1234.56", ".70", "-.70", "0.000001", "999999999999.999999",
		"-999999999999.999999", "00012.5",
	} {
		v, ok := ParseFixed([]byte(s))
		if !ok {
			t.Errorf("ParseFixed(%q): not ok", s)
			continue
		}
		want, err := ParseAmount(s, '.')
		if err != nil {
			t.Fatalf("ParseAmount(%q): %v", s, err)
		}
		if got := decimal.New(v, -FixedScale); !got.Equal(want) {
			t.Errorf("ParseFixed(%q) = %s, want %s", s, got, want)
		}
		// The same amount with a decimal comma.
		c := strings.ReplaceAll(s, ".", ",")
		v, ok = ParseFixedSep([]byte(c), ',')
		if want, err := ParseAmount(c, ','); !ok || err != nil || !decimal.New(v, -FixedScale).Equal(want) {
			t.Errorf("ParseFixedSep(%q, ',') = %d, %v; ParseAmount = %s, %v", c, v, ok, want, err)
		}
	}
	// A comma reads as a decimal only with sep ',', a point only with '.'.
	for _, c := range []struct {
		s   string
		sep byte
	}{{"1,5", '.'}, {"1.5", ','}, {"1.234,5", ','}, {"5,", ','}, {",", ','}} {
		if v, ok := ParseFixedSep([]byte(c.s), c.sep); ok {
			t.Errorf("ParseFixedSep(%q, %q) = %d, ok; want a fallback", c.s, c.sep, v)
		}
	}
	// Everything else falls back to ParseAmount, which decides.
	for _, s := range []string{
		"", "-", ".", "5.", "1,234.56", "(1.00)", "$5", "1e3", "12.3.4", "+1", " 1", "1 ",
		"1.0000001", "1234567890123", "N/A", "1.2a", "--1",
	} {
		if v, ok := ParseFixed([]byte(s)); ok {
			t.Errorf("ParseFixed(%q) = %d, ok; want a fallback", s, v)
		}
	}
}

func TestParseFixedGrouped(t *testing.T) {
	for _, c := range []struct {
		s   string
		sep byte
		ok  bool
	}{
		{"1,234.56", '.', true}, {"-1,234", '.', true}, {"12,345,678.5", '.', true}, {"999,999,999,999.999999", '.', true},
		{"1.234,56", ',', true}, {"-12.345,5", ',', true},
		{"1234.56", '.', false}, {",123", '.', false}, {"1,23", '.', false}, {"1,2345", '.', false}, {"1234,567", '.', false},
		{"1,,234", '.', false}, {"1,234,", '.', false}, {"1,234.", '.', false}, {"1,234.1234567", '.', false},
		{"1,000,000,000,000", '.', false}, {"1.234,56", '.', false}, {"1,234.56", ',', false}, {"$1,234", '.', false}, {" 1,234", '.', false},
	} {
		v, ok := ParseFixedGrouped([]byte(c.s), c.sep)
		if ok != c.ok {
			t.Errorf("ParseFixedGrouped(%q, %q) ok = %v, want %v", c.s, c.sep, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		want, err := ParseAmount(c.s, c.sep)
		if err != nil || !decimal.New(v, -FixedScale).Equal(want) {
			t.Errorf("ParseFixedGrouped(%q, %q) = %d; ParseAmount = %s, %v", c.s, c.sep, v, want, err)
		}
	}
}

func TestSum(t *testing.T) {
	var s Sum
	s.Add(5)
	s.Add(-7)
	if got := s.Decimal(); !got.Equal(decimal.New(-2, -FixedScale)) {
		t.Errorf("5 - 7 = %s", got)
	}
	var big Sum
	for i := 0; i < 4; i++ {
		big.Add(math.MaxInt64)
	}
	want := decimal.NewFromInt(math.MaxInt64).Mul(decimal.NewFromInt(4)).Shift(-FixedScale)
	if got := big.Decimal(); !got.Equal(want) {
		t.Errorf("4 × MaxInt64 = %s, want %s", got, want)
	}
	for i := 0; i < 8; i++ {
		big.Add(math.MinInt64)
	}
	want = want.Add(decimal.NewFromInt(math.MinInt64).Mul(decimal.NewFromInt(8)).Shift(-FixedScale))
	if got := big.Decimal(); !got.Equal(want) {
		t.Errorf("… − 8 × 2^63 = %s, want %s", got, want)
	}
	var a, b Sum
	a.Add(-3)
	b.Add(10)
	a.AddSum(b)
	if got := a.Decimal(); !got.Equal(decimal.New(7, -FixedScale)) {
		t.Errorf("AddSum = %s", got)
	}
}

func BenchmarkParseFixed(b *testing.B) {
	in := []byte("123456.78")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, ok := ParseFixed(in); !ok {
			b.Fatal("not ok")
		}
	}
}

func BenchmarkParseAmount(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseAmount("123456.78", '.'); err != nil {
			b.Fatal(err)
		}
	}
}

func TestProductAndChecked(t *testing.T) {
	cases := [][2]int64{{3, 4}, {-3, 4}, {3, -4}, {-3, -4}, {math.MaxInt64, math.MaxInt64}, {math.MinInt64, 3}, {math.MinInt64, -1}, {0, -5}, {123456789012345678, -987654321}}
	for _, c := range cases {
		want := decimal.NewFromInt(c[0]).Mul(decimal.NewFromInt(c[1]))
		if got := Product(c[0], c[1]).Scaled(0); !got.Equal(want) {
			t.Errorf("Product(%d, %d) = %s, want %s", c[0], c[1], got, want)
		}
	}
	big := Product(math.MaxInt64, math.MaxInt64)
	s := big
	if !s.AddChecked(big) {
		t.Fatal("2 × (2^63-1)^2 fits 128 bits")
	}
	before := s
	for i := 0; i < 4; i++ {
		if !s.AddChecked(big) {
			if s != before {
				t.Fatal("a failed add changed the sum")
			}
			return
		}
		before = s
	}
	t.Error("adding (2^63-1)^2 six times must overflow 128 bits")
}

// TestDigits: digits reads the run a loop over bytes reads, wherever the
// run starts and ends and whatever bytes surround it.
func TestDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	alphabet := []byte("0123456789.,-/:;` \xfa\xff\x00")
	for n := 0; n < 200_000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = byte('0' + rng.IntN(10))
			}
		}
		i := 0
		if len(b) > 0 {
			i = rng.IntN(len(b) + 1)
		}
		var want uint64
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			want = want*10 + uint64(b[j]-'0')
			j++
		}
		m, k := digits(b, i)
		if k != j-i || m != want {
			t.Fatalf("digits(%q, %d) = %d, %d; want %d, %d", b, i, m, k, want, j-i)
		}
	}
}
