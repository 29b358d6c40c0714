// Decoding of the agreement's top-level mapping, rounding and fx.

package agreement

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
)

// agreement decodes the top-level mapping.
func (d *decoder) agreement(root *yaml.Node) *Agreement {
	o, ok := d.object(root, "the agreement", "", topKeys, []string{"schema", "currency", "period", "hosts"})
	if !ok {
		return nil
	}
	a := &Agreement{}
	if n := o.get("schema"); n != nil {
		if s, ok := d.str(n, "schema"); ok && s != SchemaV1 {
			d.errorf(n, "schema must be %q, got %q", SchemaV1, s)
		}
	}
	if n := o.get("name"); n != nil {
		a.Name, _ = d.str(n, "name")
	}
	if n := o.get("licensor"); n != nil {
		a.Licensor, _ = d.str(n, "licensor")
	}
	if n := o.get("currency"); n != nil {
		if s, ok := d.str(n, "currency"); ok {
			if money.ValidCurrency(s) {
				a.Currency = s
			} else {
				hint := ""
				if u := strings.ToUpper(strings.TrimSpace(s)); money.ValidCurrency(u) {
					hint = fmt.Sprintf("did you mean %q?", u)
				}
				d.hintf(n, hint, "currency %q is not an ISO 4217 currency code", s)
			}
		}
	}
	if n := o.get("period"); n != nil {
		if s, ok := d.enum(n, "period", periodKinds); ok {
			a.Period, _ = period.ParseKind(s)
			d.kind = a.Period
		}
	}
	a.Rounding = d.rounding(o.get("rounding"), a.Currency)
	d.scale = a.Rounding.Scale
	if _, err := money.MinorUnits(a.Currency); err != nil && !hasKey(o.get("rounding"), "scale") {
		d.scale = -1 // unknown: the currency is already reported
	}
	if n := o.get("fx"); n != nil {
		a.FX = d.fx(n)
	}
	if n := o.get("hosts"); n != nil {
		a.Hosts = d.hosts(n)
	}
	if n := o.get("formats"); n != nil {
		a.Formats = d.formats(n, a.Hosts)
	}
	return a
}

// rounding decodes `rounding`; n may be nil (all defaults): mode half-up,
// scale the currency's minor unit.
func (d *decoder) rounding(n *yaml.Node, currency string) money.Rounding {
	r := money.Rounding{Mode: money.HalfUp}
	if currency != "" {
		r.Scale, _ = money.MinorUnits(currency)
	}
	if n == nil {
		return r
	}
	o, ok := d.object(n, "rounding", "rounding", roundingKeys, nil)
	if !ok {
		return r
	}
	if v := o.get("mode"); v != nil {
		if s, ok := d.enum(v, "mode", roundingModes); ok {
			r.Mode = money.Mode(s)
		}
	}
	if v := o.get("scale"); v != nil {
		if k, ok := d.count(v, "scale"); ok {
			if k > maxScale {
				d.errorf(v, "scale %d is more than %d decimal places", k, maxScale)
			} else {
				r.Scale = int32(k)
			}
		}
	}
	return r
}

// fx decodes `fx`. The method defaults to daily, the first and simplest of
// SPEC 2's methods; rates (the file) is required.
func (d *decoder) fx(n *yaml.Node) *FX {
	f := &FX{Method: fx.Daily}
	o, ok := d.object(n, "fx", "fx", fxKeys, []string{"rates"})
	if !ok {
		return f
	}
	if v := o.get("rates"); v != nil {
		f.Rates, _ = d.text(v, "rates")
	}
	if v := o.get("method"); v != nil {
		if s, ok := d.enum(v, "method", fxMethods); ok {
			f.Method = s
		}
	}
	return f
}
