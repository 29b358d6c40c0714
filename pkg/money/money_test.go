package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseAmount(t *testing.T) {
	ok := []struct {
		in   string
		sep  byte
		want string
	}{
		{"1234.56", '.', "1234.56"},
		{"-1234.56", '.', "-1234.56"},
		{".70", '.', "0.7"},
		{"-.70", '.', "-0.7"},
		{"1,234.56", '.', "1234.56"},
		{"1,234,567", '.', "1234567"},
		{"(1,234.56)", '.', "-1234.56"},
		{"$1,234.56", '.', "1234.56"},
		{"-$12.00", '.', "-12"},
		{"$-12.00", '.', "-12"},
		{"($10.00)", '.', "-10"},
		{"€5", '.', "5"},
		{"£0.01", '.', "0.01"},
		{"¥1,000", '.', "1000"},
		{"  42  ", '.', "42"},
		{"0", '.', "0"},
		{"1.234,56", ',', "1234.56"},
		{"-0,5", ',', "-0.5"},
		{"12345678901234567890123456789012345678901.25", '.', "12345678901234567890123456789012345678901.25"},
	}
	for _, c := range ok {
		got, err := ParseAmount(c.in, c.sep)
		if err != nil {
			t.Errorf("ParseAmount(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("ParseAmount(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	bad := []struct {
		in, msg string
	}{
		{"1e3", `invalid amount "1e3": unexpected 'e'`},
		{"12.3.4", `invalid amount "12.3.4": unexpected '.'`},
		{"N/A", `invalid amount "N/A": unexpected 'N'`},
		{"1,23.00", `invalid amount "1,23.00": misplaced group separator ','`},
		{"(12", `invalid amount "(12": unbalanced parenthesis`},
		{"-(12)", `invalid amount "-(12)": unexpected '('`},
		{"5.", `invalid amount "5.": no digits after the decimal separator`},
		{"+12", `invalid amount "+12": unexpected '+'`},
		// The whole character, never its first byte ('Ù', 'Â').
		{"1٣", `invalid amount "1٣": unexpected '٣'`},
		{"1.٣", `invalid amount "1.٣": unexpected '٣'`},
		{"1\u00a0000", `invalid amount "1\u00a0000": unexpected '\u00a0'`},
		{"1,٣00", `invalid amount "1,٣00": misplaced group separator ','`},
		{"1,0٣0", `invalid amount "1,0٣0": misplaced group separator ','`},
		{"1,00٣", `invalid amount "1,00٣": misplaced group separator ','`},
		{"1\xff", `invalid amount "1\xff": unexpected byte 0xff (not UTF-8)`},
		{"$", `invalid amount "$": no digits`},
		{"(-12)", `invalid amount "(-12)": both parentheses and a minus sign`},
	}
	for _, c := range bad {
		_, err := ParseAmount(c.in, '.')
		if err == nil || err.Error() != c.msg {
			t.Errorf("ParseAmount(%q) error = %v, want %s", c.in, err, c.msg)
		}
	}
	if _, err := ParseAmount("  ", '.'); err != ErrEmpty {
		t.Errorf("empty: got %v, want ErrEmpty", err)
	}
}

func TestRounding(t *testing.T) {
	cases := []struct {
		mode  Mode
		in    string
		scale int32
		want  string
	}{
		{HalfUp, "2.345", 2, "2.35"},
		{HalfUp, "-2.345", 2, "-2.35"},
		{HalfUp, "2.344", 2, "2.34"},
		{HalfEven, "2.345", 2, "2.34"},
		{HalfEven, "2.355", 2, "2.36"},
		{HalfEven, "-2.345", 2, "-2.34"},
		{Down, "2.349", 2, "2.34"},
		{Down, "-2.349", 2, "-2.34"},
		{Up, "2.341", 2, "2.35"},
		{Up, "-2.341", 2, "-2.35"},
		{Up, "2.34", 2, "2.34"},
		{HalfUp, "1234.5", 0, "1235"},
		{HalfEven, "1234.5", 0, "1234"},
		{HalfUp, "0.0005", 3, "0.001"},
	}
	for _, c := range cases {
		r := Rounding{Mode: c.mode, Scale: c.scale}
		got := r.Format(r.Round(decimal.RequireFromString(c.in)))
		if got != c.want {
			t.Errorf("%s(%s, %d) = %s, want %s", c.mode, c.in, c.scale, got, c.want)
		}
	}
}

func TestMinorUnits(t *testing.T) {
	for code, want := range map[string]int32{"USD": 2, "EUR": 2, "JPY": 0, "BHD": 3, "KWD": 3,
		// ISO 4217's minor unit where CLDR's accounting digits differ
		// (SPEC 2: the default scale is the currency's minor unit).
		"IDR": 2, "IQD": 3, "COP": 2, "IRR": 2, "AMD": 2, "ALL": 2, "RSD": 2, "MGA": 2, "CLF": 4,
		// Codes ISO 4217 added after CLDR 32 (x/text's tables).
		"VES": 2, "MRU": 2, "UYW": 4, "VED": 2, "SLE": 2, "ZWG": 2, "XCG": 2,
		// Known only through x/text: a metal (no minor unit) and a historic code.
		"XAU": 2, "DEM": 2,
	} {
		got, err := MinorUnits(code)
		if err != nil || got != want {
			t.Errorf("MinorUnits(%s) = %d, %v; want %d", code, got, err, want)
		}
	}
	for _, code := range []string{"usd", "XYZ", "US", ""} {
		if _, err := MinorUnits(code); err == nil {
			t.Errorf("MinorUnits(%q): want an error", code)
		}
	}
}

func TestDiv(t *testing.T) {
	cases := []struct{ x, y, want string }{
		{"1", "3", "0.33333333333333333333"},
		{"2", "3", "0.66666666666666666667"},
		{"-2", "3", "-0.66666666666666666667"},
		{"1", "8", "0.125"},
		// ties at the 20th place go to the even digit
		{"1", "8e20", "0.00000000000000000000"},  // 1.25e-21: below half
		{"5", "2e20", "0.00000000000000000002"},  // 2.5e-20 → 2e-20 (even)
		{"15", "2e20", "0.00000000000000000008"}, // 7.5e-20 → 8e-20 (even)
		{"-15", "2e20", "-0.00000000000000000008"},
		{"250000", "4", "62500"},
	}
	for _, c := range cases {
		got := Div(decimal.RequireFromString(c.x), decimal.RequireFromString(c.y))
		if !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("Div(%s, %s) = %s, want %s", c.x, c.y, got, c.want)
		}
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]string{"12.5%": "0.125", "0%": "0", "100%": "1", "0.0000001%": "0.000000001", " 7 % ": "0.07"} {
		r, err := ParseRate(in)
		if err != nil || !r.Value.Equal(decimal.RequireFromString(want)) {
			t.Errorf("ParseRate(%q) = %v, %v; want %s", in, r.Value, err, want)
		}
	}
	if r, _ := ParseRate("12.50%"); r.String() != "12.5%" {
		t.Errorf("ParseRate(12.50%%).String() = %q, want 12.5%%", r.String())
	}
	for _, in := range []string{"0.125", "12.5", "%", "1e1%", "abc%", "5.%"} {
		if _, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q): want an error", in)
		}
	}
}

func TestParseLiteral(t *testing.T) {
	for in, want := range map[string]string{"1000000": "1000000", "1000000.10": "1000000.1", "10_000_000": "10000000", "12345678901234567.89": "12345678901234567.89", "-5": "-5"} {
		d, err := ParseLiteral(in)
		if err != nil || !d.Equal(decimal.RequireFromString(want)) {
			t.Errorf("ParseLiteral(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"1e3", "", "1.2.3", ".5", "5.", "0x10", "+1", "_-5", "-_5", "1__0", "5_", "_5", "1_.5", "1._5", "-"} {
		if _, err := ParseLiteral(in); err == nil {
			t.Errorf("ParseLiteral(%q): want an error", in)
		}
	}
}

func TestGroup(t *testing.T) {
	for _, c := range []struct {
		in    string
		scale int32
		want  string
	}{
		{"1234567.5", 2, "1,234,567.50"},
		{"-1234.5", 2, "-1,234.50"},
		{"999", 0, "999"},
		{"0", 2, "0.00"},
		{"100000", 3, "100,000.000"},
	} {
		if got := Group(decimal.RequireFromString(c.in), c.scale); got != c.want {
			t.Errorf("Group(%s, %d) = %s, want %s", c.in, c.scale, got, c.want)
		}
	}
}

// TestDivPlacesEven rounds the true quotient once: carrying it to 20
// places first and rounding again would turn 1.00000000014999…9 into
// 1.0000000002.
func TestDivPlacesEven(t *testing.T) {
	for _, tc := range []struct{ x, y, want string }{
		{"93150", "90000", "1.0350000000"},
		{"100000000014999999999999", "100000000000000000000000", "1.0000000001"},
		{"100000000015", "100000000000", "1.0000000002"}, // a tie: to even
		{"100000000025", "100000000000", "1.0000000002"}, // a tie: to even
		{"-2", "3", "-0.6666666667"},
	} {
		got := DivPlacesEven(decimal.RequireFromString(tc.x), decimal.RequireFromString(tc.y), 10)
		if got.StringFixed(10) != tc.want {
			t.Errorf("%s ÷ %s = %s, want %s", tc.x, tc.y, got.StringFixed(10), tc.want)
		}
	}
}
