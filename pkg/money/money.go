// Package money holds the exact arithmetic of llamashare: amount and rate
// parsing, rounding modes, currency minor units and division to a fixed
// number of places. Every amount is a decimal.Decimal; nothing is a float.
package money

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
)

// DivPlaces is how many decimal places a division is carried to (half-even)
// before any rounding of the agreement applies (SPEC 5).
const DivPlaces = 20

// Mode is a rounding mode of the agreement.
type Mode string

// The rounding modes of SPEC 2.
const (
	HalfUp   Mode = "half-up"
	HalfEven Mode = "half-even"
	Down     Mode = "down"
	Up       Mode = "up"
)

// Modes lists the valid rounding modes in documentation order.
var Modes = []Mode{HalfUp, HalfEven, Down, Up}

// Rounding is the agreement's rounding: a mode and a scale (decimal places).
type Rounding struct {
	Mode  Mode
	Scale int32
}

// Round rounds d to r's scale with r's mode.
func (r Rounding) Round(d decimal.Decimal) decimal.Decimal {
	switch r.Mode {
	case HalfEven:
		return d.RoundBank(r.Scale)
	case Down:
		return d.RoundDown(r.Scale)
	case Up:
		return d.RoundUp(r.Scale)
	default:
		return d.Round(r.Scale)
	}
}

// Format renders d with exactly r's scale digits after the point.
func (r Rounding) Format(d decimal.Decimal) string {
	return d.StringFixed(r.Scale)
}

// MinorUnits returns the number of decimal places of an ISO 4217 currency
// (USD 2, JPY 0, BHD 3).
func MinorUnits(code string) (int32, error) {
	if n, ok := isoMinorUnits[code]; ok {
		return n, nil
	}
	u, err := currency.ParseISO(code)
	if err != nil || u.String() != code {
		return 0, fmt.Errorf("%q is not an ISO 4217 currency code", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	return int32(scale), nil
}

// ValidCurrency reports whether code is an upper-case ISO 4217 code.
func ValidCurrency(code string) bool {
	_, err := MinorUnits(code)
	return err == nil
}

// Div returns x ÷ y carried to DivPlaces decimal places, rounded half-even.
// y must not be zero.
func Div(x, y decimal.Decimal) decimal.Decimal { return DivPlacesEven(x, y, DivPlaces) }

// DivPlacesEven returns x ÷ y rounded half-even to places decimal places,
// exactly (one rounding of the true quotient). y must not be zero.
func DivPlacesEven(x, y decimal.Decimal, places int32) decimal.Decimal {
	q, r := x.QuoRem(y, places)
	if r.IsZero() {
		return q
	}
	// |r| < |y|·10^-places; compare 2|r| with |y|·10^-places.
	ulp := decimal.New(1, -places)
	twice := r.Abs().Mul(decimal.NewFromInt(2))
	half := y.Abs().Mul(ulp)
	away := false
	switch twice.Cmp(half) {
	case 1:
		away = true
	case 0:
		// Tie: round to the even last digit.
		last := q.Shift(places).BigInt()
		away = last.Bit(0) == 1
	}
	if !away {
		return q
	}
	// The exact quotient's sign is that of x·y.
	if x.Sign()*y.Sign() < 0 {
		return q.Sub(ulp)
	}
	return q.Add(ulp)
}

// ErrEmpty is returned by ParseAmount for an empty field.
var ErrEmpty = errors.New("empty amount")

// ParseAmount reads an amount in the grammar of SPEC 3: `1234.56`,
// `-1234.56`, `.70`, `1,234.56`, `(1,234.56)`, an optional leading currency
// symbol ($ € £ ¥). decimalSep is '.' (then ',' groups thousands) or ','
// (then '.' groups thousands). Exponents, several points, stray characters
// and empty text are errors.
func ParseAmount(s string, decimalSep byte) (decimal.Decimal, error) {
	d, err := parseAmount(strings.TrimSpace(s), decimalSep)
	if err != nil {
		if err == ErrEmpty {
			return decimal.Zero, err
		}
		return decimal.Zero, fmt.Errorf("invalid amount %q: %v", s, err)
	}
	return d, nil
}

var symbols = []string{"$", "€", "£", "¥"}

func trimSymbol(s string) string {
	for _, sym := range symbols {
		if strings.HasPrefix(s, sym) {
			return strings.TrimSpace(s[len(sym):])
		}
	}
	return s
}

func parseAmount(s string, decimalSep byte) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Zero, ErrEmpty
	}
	neg := false
	if strings.HasPrefix(s, "(") {
		if !strings.HasSuffix(s, ")") {
			return decimal.Zero, errors.New("unbalanced parenthesis")
		}
		neg = true
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	// A symbol may stand before or after the minus sign: -$5 and $-5.
	s = trimSymbol(s)
	if strings.HasPrefix(s, "-") {
		if neg {
			return decimal.Zero, errors.New("both parentheses and a minus sign")
		}
		neg = true
		s = strings.TrimSpace(s[1:])
		s = trimSymbol(s)
	}
	if s == "" {
		return decimal.Zero, errors.New("no digits")
	}
	group := byte(',')
	if decimalSep == ',' {
		group = '.'
	}
	intPart, frac := s, ""
	hasPoint := false
	if i := strings.IndexByte(s, decimalSep); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		hasPoint = true
	}
	if hasPoint && frac == "" {
		return decimal.Zero, errors.New("no digits after the decimal separator")
	}
	if intPart == "" && frac == "" {
		return decimal.Zero, errors.New("no digits")
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return decimal.Zero, unexpected(frac[i:])
		}
	}
	digits, err := ungroup(intPart, group)
	if err != nil {
		return decimal.Zero, err
	}
	text := digits
	if frac != "" {
		text += "." + frac
	}
	if text == "" || text[0] == '.' {
		text = "0" + text
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Zero, err
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

// unexpected names the character s starts with, whole: `٣` is two bytes,
// and quoting its first byte alone showed 'Ù'.
func unexpected(s string) error {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return fmt.Errorf("unexpected byte %#x (not UTF-8)", s[0])
	}
	return fmt.Errorf("unexpected %q", r)
}

// ungroup checks the integer digits, allowing the group separator only
// between groups of three digits, and returns the bare digits.
func ungroup(s string, group byte) (string, error) {
	if strings.IndexByte(s, group) < 0 {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", unexpected(s[i:])
			}
		}
		return s, nil
	}
	parts := strings.Split(s, string(group))
	var b strings.Builder
	for i, p := range parts {
		if (i == 0 && (len(p) < 1 || len(p) > 3)) || (i > 0 && len(p) != 3) {
			return "", fmt.Errorf("misplaced group separator %q", group)
		}
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return "", unexpected(p[j:])
			}
		}
		b.WriteString(p)
	}
	return b.String(), nil
}

// Rate is a percentage as written in the agreement (`12.5%`), kept with its
// value as a fraction (0.125).
type Rate struct {
	Value decimal.Decimal // the fraction: 12.5% is 0.125
	Text  string          // canonical text, e.g. "12.5%"
}

// ParseRate reads `12.5%`. A bare number is an error: `0.125` and `12.5`
// are ambiguous.
func ParseRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	if !strings.HasSuffix(t, "%") {
		return Rate{}, fmt.Errorf("rate %q must be written as a percentage, e.g. \"12.5%%\"", s)
	}
	num := strings.TrimSpace(strings.TrimSuffix(t, "%"))
	if num == "" || strings.ContainsAny(num, "eE+_,") {
		return Rate{}, fmt.Errorf("invalid rate %q", s)
	}
	pct, err := decimal.NewFromString(num)
	if err != nil || strings.HasSuffix(num, ".") {
		return Rate{}, fmt.Errorf("invalid rate %q", s)
	}
	return NewRate(pct), nil
}

// NewRate makes a Rate from a percentage value (12.5 for 12.5%).
func NewRate(pct decimal.Decimal) Rate {
	return Rate{Value: pct.Shift(-2), Text: pct.String() + "%"}
}

// Percent returns the rate as a percentage value (12.5 for 12.5%).
func (r Rate) Percent() decimal.Decimal { return r.Value.Shift(2) }

// String returns the rate as a percentage, e.g. "12.5%".
func (r Rate) String() string {
	if r.Text == "" {
		return r.Value.Shift(2).String() + "%"
	}
	return r.Text
}

// ParseLiteral reads an amount as written in the agreement: digits with
// optional `_` separators between digits (`10_000_000`), an optional minus
// sign and fraction. Exponents and floats' other spellings are refused, and
// so is a `_` that does not stand between two digits (`_-5`, `1__0`, `5_`).
func ParseLiteral(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Zero, errors.New("empty amount")
	}
	bad := fmt.Errorf("invalid amount %q", s)
	body := strings.TrimPrefix(t, "-")
	digit := func(i int) bool { return i >= 0 && i < len(body) && body[i] >= '0' && body[i] <= '9' }
	dot := -1
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
		case c == '_' && digit(i-1) && digit(i+1):
		case c == '.' && dot < 0 && digit(i-1) && digit(i+1):
			dot = i
		default:
			return decimal.Zero, bad
		}
	}
	if body == "" {
		return decimal.Zero, bad
	}
	return decimal.NewFromString(strings.ReplaceAll(t, "_", ""))
}

// Group formats a fixed-scale amount with thousands separators: 1234567.5
// at scale 2 is "1,234,567.50".
func Group(d decimal.Decimal, scale int32) string {
	s := d.StringFixed(scale)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(intPart[i])
	}
	b.WriteString(frac)
	return b.String()
}

// GroupPlain groups d's thousands and shows its decimals as the number
// has them, without trailing zeros: 1,500,000,000 rather than
// 1,500,000,000.000000 for units summed at six decimals.
func GroupPlain(d decimal.Decimal) string {
	s := d.String() // drops trailing zeros
	places := int32(0)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		places = int32(len(s) - i - 1)
	}
	return Group(d, places)
}
