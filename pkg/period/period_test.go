package period

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Period{
		"2025":    {Kind: Year, Year: 2025},
		"2025-Q1": {Kind: Quarter, Year: 2025, N: 1},
		"2025-q4": {Kind: Quarter, Year: 2025, N: 4},
		"2025-03": {Kind: Month, Year: 2025, N: 3},
		"2025-12": {Kind: Month, Year: 2025, N: 12},
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "25", "2025-Q5", "2025-Q0", "2025-13", "2025-00", "2025-3", "2025Q1", "20x5", "2025-03-01", "2025-H1"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q): want an error", in)
		}
	}
}

func TestDates(t *testing.T) {
	cases := []struct{ label, start, end string }{
		{"2025-Q1", "2025-01-01", "2025-03-31"},
		{"2024-Q1", "2024-01-01", "2024-03-31"},
		{"2025-Q4", "2025-10-01", "2025-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2025-02", "2025-02-01", "2025-02-28"},
		{"2025", "2025-01-01", "2025-12-31"},
	}
	for _, c := range cases {
		p, _ := Parse(c.label)
		if s, e := FormatDate(p.Start()), FormatDate(p.End()); s != c.start || e != c.end {
			t.Errorf("%s: %s..%s, want %s..%s", c.label, s, e, c.start, c.end)
		}
		if got := p.String(); got != c.label {
			t.Errorf("String() = %s, want %s", got, c.label)
		}
	}
}

func TestNextAndOf(t *testing.T) {
	q4, _ := Parse("2025-Q4")
	if n := q4.Next(); n.String() != "2026-Q1" {
		t.Errorf("Next(2025-Q4) = %s", n)
	}
	m12, _ := Parse("2025-12")
	if n := m12.Next(); n.String() != "2026-01" {
		t.Errorf("Next(2025-12) = %s", n)
	}
	d, _ := ParseDate("2025-05-31")
	if p := Of(d, Quarter); p.String() != "2025-Q2" {
		t.Errorf("Of(2025-05-31, quarter) = %s", p)
	}
	m, _ := Parse("2025-03")
	if q, err := m.In(Quarter); err != nil || q.String() != "2025-Q1" {
		t.Errorf("2025-03 in quarter = %s, %v", q, err)
	}
	y, _ := Parse("2025")
	if _, err := y.In(Quarter); err == nil {
		t.Error("2025 in quarter: want an error (coarser)")
	}
}

func TestSpan(t *testing.T) {
	cases := []struct {
		in   string
		kind Kind
		want string
	}{
		{"2025-Q1", Quarter, "2025-Q1"},
		{"2025", Quarter, "2025-Q1 2025-Q2 2025-Q3 2025-Q4"},
		{"2025-Q1..2025-Q3", Quarter, "2025-Q1 2025-Q2 2025-Q3"},
		{"2025-03", Quarter, "2025-Q1"},
		{"2025-Q2", Month, "2025-04 2025-05 2025-06"},
		{"2024-11..2025-02", Month, "2024-11 2024-12 2025-01 2025-02"},
		{"2024..2025", Year, "2024 2025"},
		{"2025-Q4..2026-Q1", Quarter, "2025-Q4 2026-Q1"},
	}
	for _, c := range cases {
		ps, err := Span(c.in, c.kind)
		if err != nil {
			t.Errorf("Span(%q): %v", c.in, err)
			continue
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("Span(%q, %s) = %v, want %s", c.in, c.kind, got, c.want)
		}
	}
	for _, in := range []string{"2025-Q3..2025-Q1", "x..2025", "2025-Q1.."} {
		if _, err := Span(in, Quarter); err == nil {
			t.Errorf("Span(%q): want an error", in)
		}
	}
}

func TestParseDate(t *testing.T) {
	if _, err := ParseDate("2025-02-30"); err == nil {
		t.Error("2025-02-30: want an error")
	}
	if _, err := ParseDate("2025-2-3"); err == nil {
		t.Error("2025-2-3: want an error")
	}
}
