package settle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/money"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func band(upTo, rate string) agreement.Band {
	r, err := money.ParseRate(rate)
	if err != nil {
		panic(err)
	}
	b := agreement.Band{Rate: r}
	if upTo != "" {
		u := dec(upTo)
		b.UpTo = &u
	}
	return b
}

// lineText renders lines as "band:basis:share" for comparison.
func lineText(ls []Line) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, fmt.Sprintf("%d:%s:%s", l.Band, l.Basis.StringFixed(2), l.Share.StringFixed(2)))
	}
	return strings.Join(parts, " ")
}

func TestTierLines(t *testing.T) {
	bands := []agreement.Band{band("1000", "10%"), band("5000", "15%"), band("", "20%")}
	grad := &agreement.Rule{Name: "t", Tiers: &agreement.Tiers{Mode: agreement.Graduated, Bands: bands}}
	vol := &agreement.Rule{Name: "v", Tiers: &agreement.Tiers{Mode: agreement.Volume, Bands: bands}}
	r := money.Rounding{Mode: money.HalfUp, Scale: 2}
	cases := []struct {
		name string
		rule *agreement.Rule
		c, b string
		want string
	}{
		{"inside first band", grad, "0", "500", "1:500.00:50.00"},
		{"spans three bands", grad, "0", "7000", "1:1000.00:100.00 2:4000.00:600.00 3:2000.00:400.00"},
		{"starts mid-window", grad, "800", "500", "1:200.00:20.00 2:300.00:45.00"},
		{"exactly to a boundary", grad, "0", "1000", "1:1000.00:100.00"},
		{"from a boundary", grad, "1000", "10", "2:10.00:1.50"},
		{"negative moves back", grad, "1200", "-500", "1:-300.00:-30.00 2:-200.00:-30.00"},
		{"negative below zero", grad, "100", "-300", "1:-300.00:-30.00"},
		{"zero basis", grad, "1000", "0", "2:0.00:0.00"},
		{"volume low", vol, "0", "999.99", "1:999.99:100.00"},
		{"volume at up_to inclusive", vol, "0", "1000", "1:1000.00:100.00"},
		{"volume above", vol, "0", "1000.01", "2:1000.01:150.00"},
		{"volume top", vol, "0", "9000", "3:9000.00:1800.00"},
		{"volume negative", vol, "0", "-50", "1:-50.00:-5.00"},
	}
	for _, c := range cases {
		got := lineText(tierLines(r, c.rule, "*", dec(c.c), dec(c.b), decimal.Zero))
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}
