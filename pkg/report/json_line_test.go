package report

import (
	"bufio"
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// appendLine writes a line's text as encoding/json does, or declines.
func TestAppendLineIsEncodingJSON(t *testing.T) {
	text := func(t *rapid.T, label string) string {
		if rapid.Bool().Draw(t, label+" kind") {
			return drawText(t, label)
		}
		return rapid.String().Draw(t, label)
	}
	opt := func(t *rapid.T, label string) *string {
		if rapid.Bool().Draw(t, label+"?") {
			s := text(t, label)
			return &s
		}
		return nil
	}
	rapid.Check(t, func(t *rapid.T) {
		l := Line{Rule: text(t, "rule"), Product: text(t, "product"), Basis: text(t, "basis"), Units: text(t, "units"),
			Rate: opt(t, "rate"), Price: opt(t, "price"), Per: opt(t, "per"), Share: text(t, "share")}
		if rapid.Bool().Draw(t, "banded") {
			band := rapid.IntRange(-3, 1000).Draw(t, "band")
			l.Band = &band
		}
		prefix := rapid.SampledFrom([]string{"", "  ", "        "}).Draw(t, "prefix")
		var want bytes.Buffer
		e := &splicer{w: bufio.NewWriter(&want)}
		if err := e.encode(&l, prefix); err != nil {
			t.Fatal(err)
		}
		_ = e.w.Flush()
		got, ok := appendLine(nil, &l, prefix)
		if !ok {
			if plainJSON(l.Rule + l.Product + l.Basis + l.Units + l.Share + deref(l.Rate) + deref(l.Price) + deref(l.Per)) {
				t.Fatalf("declined a plain line %+v", l)
			}
			return
		}
		if string(got) != want.String() {
			t.Fatalf("appendLine:\n%s\nencoding/json:\n%s", got, want.String())
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
