package period

import (
	"testing"
	"time"
)

// The fuzz targets of the period and date parsers; seed corpora in
// testdata/fuzz/<FuzzName>/.

// FuzzParse: Parse never panics; a label it accepts is a valid period that
// reads back from its String; Span never panics, and the periods it
// returns for any kind are of that kind, contiguous and in order, and
// cover the label.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := Parse(s); err == nil {
			if !valid(p) {
				t.Fatalf("Parse(%q) = %+v: not a valid period", s, p)
			}
			back, err := Parse(p.String())
			if err != nil || back != p {
				t.Fatalf("Parse(%q) = %+v; %q reads %+v, %v", s, p, p.String(), back, err)
			}
			if end := p.End(); end.Before(p.Start()) || Of(end, p.Kind) != p || Of(p.Start(), p.Kind) != p {
				t.Fatalf("%s: start %s, end %s", p, FormatDate(p.Start()), FormatDate(end))
			}
		}
		for _, k := range []Kind{Month, Quarter, Year} {
			ps, err := Span(s, k)
			if err != nil {
				continue
			}
			if len(ps) == 0 {
				t.Fatalf("Span(%q, %s): no periods", s, k)
			}
			for i, p := range ps {
				if p.Kind != k || !valid(p) {
					t.Fatalf("Span(%q, %s)[%d] = %+v", s, k, i, p)
				}
				if i > 0 && ps[i-1].Next() != p {
					t.Fatalf("Span(%q, %s): %s follows %s", s, k, p, ps[i-1])
				}
			}
			if p, err := Parse(s); err == nil {
				// A single label: the span covers it, from its first day
				// to its last.
				if first, last := ps[0], ps[len(ps)-1]; first.Start().After(p.Start()) || last.End().Before(p.End()) {
					t.Fatalf("Span(%q, %s) = %s..%s does not cover %s", s, k, first, last, p)
				}
			}
		}
	})
}

func valid(p Period) bool {
	switch p.Kind {
	case Month:
		return p.N >= 1 && p.N <= 12
	case Quarter:
		return p.N >= 1 && p.N <= 4
	case Year:
		return p.N == 0
	}
	return false
}

// FuzzParseDate: ParseDate never panics, accepts only YYYY-MM-DD with
// ASCII digits, and a date it accepts is UTC midnight and formats back to
// the same text.
func FuzzParseDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if got := FormatDate(d); got != s {
			t.Fatalf("ParseDate(%q) = %s", s, got)
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v: not UTC midnight", s, d)
		}
		for _, k := range []Kind{Month, Quarter, Year} {
			p := Of(d, k)
			if d.Before(p.Start()) || d.After(p.End()) {
				t.Fatalf("%s is not in its %s %s", s, k, p)
			}
		}
	})
}
