// Value readers: each reports a problem at n and returns ok false when n
// is not a value of its type; name is the key in messages.

package agreement

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// str reads any non-null scalar as text.
func (d *decoder) str(n *yaml.Node, name string) (string, bool) {
	s, ok := scalar(n)
	if !ok {
		d.errorf(n, "%s must be a string", name)
	}
	return s, ok
}

// text reads a string that must not be empty or blank; it is trimmed.
func (d *decoder) text(n *yaml.Node, name string) (string, bool) {
	s, ok := d.str(n, name)
	if !ok {
		return "", false
	}
	s = strings.TrimSpace(s)
	if s == "" {
		d.errorf(n, "%s must not be empty", name)
		return "", false
	}
	return s, true
}

// list returns the items of a list of scalars; items that are not scalars
// are reported and left out.
func (d *decoder) list(n *yaml.Node, name string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of strings", name)
		return nil, false
	}
	var items []*yaml.Node
	for _, c := range n.Content {
		if _, ok := scalar(c); !ok {
			d.errorf(c, "%s must be a list of strings", name)
			continue
		}
		items = append(items, c)
	}
	return items, true
}

// enum reads one of allowed.
func (d *decoder) enum(n *yaml.Node, name string, allowed []string) (string, bool) {
	s, ok := d.str(n, name)
	if !ok {
		return "", false
	}
	if !contains(allowed, s) {
		d.hintf(n, didYouMean(s, allowed), "%s must be one of %s, got %q", name, strings.Join(allowed, ", "), s)
		return "", false
	}
	return s, true
}

// amount reads a non-negative amount from its literal text (never through
// a float): 1000000, "1000000.10", 10_000_000.
func (d *decoder) amount(n *yaml.Node, name string) (decimal.Decimal, bool) {
	s, ok := scalar(n)
	if !ok {
		d.errorf(n, "%s must be an amount", name)
		return decimal.Zero, false
	}
	v, err := money.ParseLiteral(s)
	if err != nil {
		d.errorf(n, "%s must be an amount, got %q", name, s)
		return decimal.Zero, false
	}
	if v.IsNegative() {
		d.errorf(n, "%s must not be negative, got %s", name, s)
		return decimal.Zero, false
	}
	return v, true
}

// hasKey reports whether mapping node n has the key.
func hasKey(n *yaml.Node, key string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// money reads an amount of the settlement currency: it may have no more
// decimal places than the rounding scale, since every figure it meets
// (shares, bases, top-ups) is at that scale and SPEC 5 rounds nothing
// else. A price per unit is not money in this sense: it is divided first.
func (d *decoder) money(n *yaml.Node, name string) (decimal.Decimal, bool) {
	v, ok := d.amount(n, name)
	if ok && d.scale >= 0 && !v.Equal(v.Truncate(d.scale)) {
		d.errorf(n, "%s %s has more decimal places than the rounding scale (%d)", name, n.Value, d.scale)
		return decimal.Zero, false
	}
	return v, ok
}

// rate reads a percentage, 0% to 100%. A bare number is refused: 0.125
// and 12.5 are both plausible readings of "twelve and a half percent".
func (d *decoder) rate(n *yaml.Node, name string) (money.Rate, bool) {
	if isNumber(n) {
		d.errorf(n, "%s %s must be written as a percentage, e.g. \"12.5%%\"", name, n.Value)
		return money.Rate{}, false
	}
	s, ok := scalar(n)
	if !ok {
		d.errorf(n, "%s must be a percentage, e.g. \"12.5%%\"", name)
		return money.Rate{}, false
	}
	r, err := money.ParseRate(s)
	if err != nil {
		d.errorf(n, "%s", err)
		return money.Rate{}, false
	}
	if r.Value.IsNegative() || r.Value.GreaterThan(decimal.NewFromInt(1)) {
		d.errorf(n, "%s %s must be between 0%% and 100%%", name, r)
		return money.Rate{}, false
	}
	return r, true
}

// date reads YYYY-MM-DD (yaml may tag it !!timestamp; its text is used).
func (d *decoder) date(n *yaml.Node, name string) (time.Time, bool) {
	s, ok := scalar(n)
	if ok {
		if t, err := period.ParseDate(s); err == nil {
			return t, true
		}
	}
	if ok {
		d.errorf(n, "%s must be a date YYYY-MM-DD, got %q", name, s)
	} else {
		d.errorf(n, "%s must be a date YYYY-MM-DD", name)
	}
	return time.Time{}, false
}

// count reads a non-negative integer written in plain decimal digits: no
// sign, no `_` (YAML 1.2, which editors and the JSON Schema follow, reads
// 1_0 as a string, yaml.v3 as an int), no 0x or 0o.
func (d *decoder) count(n *yaml.Node, name string) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" && n.Value != "" && strings.Trim(n.Value, "0123456789") == "" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	d.errorf(n, "%s must be a non-negative integer", name)
	return 0, false
}
