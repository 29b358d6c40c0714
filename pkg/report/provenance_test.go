package report

import (
	"fmt"
	"strings"
	"testing"
)

func TestProvenance(t *testing.T) {
	base := func() *Document {
		return &Document{
			Agreement: FileRef{Path: "agreement.yaml", SHA256: "a1"},
			FX:        &FXRef{Path: "fx.csv", SHA256: "f1", Method: "daily"},
			Inputs:    []InputDoc{{Path: "q1.csv", SHA256: "i1"}, {Path: "q2.csv", SHA256: "i2"}},
		}
	}
	for _, tc := range []struct {
		name   string
		change func(d *Document)
		want   string // changes, "h" marking a hash change
	}{
		{"same", func(d *Document) {}, ""},
		{"agreement", func(d *Document) { d.Agreement.SHA256 = "a2" }, "h agreement agreement.yaml sha256: want a1, got a2"},
		{"agreement moved", func(d *Document) { d.Agreement.Path = "x/agreement.yaml" }, "- agreement path: want agreement.yaml, got x/agreement.yaml"},
		{"fx rates", func(d *Document) { d.FX.SHA256 = "f2" }, "h fx fx.csv sha256: want f1, got f2"},
		{"fx method", func(d *Document) { d.FX.Method = "period-end" }, "- fx method: want daily, got period-end"},
		{"fx gone", func(d *Document) { d.FX = nil }, "h fx: want fx.csv sha256 f1, got none"},
		{"input changed", func(d *Document) { d.Inputs[1].SHA256 = "i3" }, "h input q2.csv sha256: want i2, got i3"},
		{"input renamed", func(d *Document) { d.Inputs[0].Path = "r.csv" }, "- input q1.csv path: want q1.csv, got r.csv (same sha256)"},
		{"input gone", func(d *Document) { d.Inputs = d.Inputs[:1] }, "h input q2.csv: want sha256 i2, got no such input"},
		{"input added", func(d *Document) { d.Inputs = append(d.Inputs, InputDoc{Path: "q3.csv", SHA256: "i3"}) },
			"h input q3.csv: want no such input, got sha256 i3"},
	} {
		got := base()
		tc.change(got)
		var lines []string
		for _, c := range Provenance(base(), got) {
			mark := "-"
			if c.Hash {
				mark = "h"
			}
			lines = append(lines, fmt.Sprintf("%s %s", mark, c))
		}
		if s := strings.Join(lines, "\n"); s != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, s, tc.want)
		}
	}
}
