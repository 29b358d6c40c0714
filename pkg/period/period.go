// Package period handles settlement periods (months, quarters, years), their
// labels (`2025-03`, `2025-Q1`, `2025`), ranges (`2025-Q1..2025-Q3`) and dates.
package period

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is a period length: month, quarter or year.
type Kind int

// The period kinds, from finest to coarsest.
const (
	Month Kind = iota + 1
	Quarter
	Year
)

// ParseKind reads `month`, `quarter` or `year`.
func ParseKind(s string) (Kind, error) {
	switch s {
	case "month":
		return Month, nil
	case "quarter":
		return Quarter, nil
	case "year":
		return Year, nil
	}
	return 0, fmt.Errorf("unknown period %q (want month, quarter or year)", s)
}

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Month:
		return "month"
	case Quarter:
		return "quarter"
	case Year:
		return "year"
	}
	return "invalid"
}

// PerYear is how many periods of this kind a year holds.
func (k Kind) PerYear() int {
	switch k {
	case Month:
		return 12
	case Quarter:
		return 4
	}
	return 1
}

// Period is one month, quarter or year. The zero Period is invalid.
type Period struct {
	Kind Kind
	Year int
	N    int // month 1..12, quarter 1..4, 0 for a year
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.Kind == 0 }

// String returns p's label: 2025-03, 2025-Q1 or 2025.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Year:
		return fmt.Sprintf("%04d", p.Year)
	}
	return ""
}

// index is a monotonic number for periods of one kind.
func (p Period) index() int {
	if p.Kind == Year {
		return p.Year
	}
	return p.Year*p.Kind.PerYear() + p.N - 1
}

func fromIndex(k Kind, i int) Period {
	if k == Year {
		return Period{Kind: Year, Year: i}
	}
	n := k.PerYear()
	return Period{Kind: k, Year: i / n, N: i%n + 1}
}

// Compare orders periods of the same kind: -1, 0 or +1.
func (p Period) Compare(q Period) int {
	a, b := p.index(), q.index()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether p comes before q.
func (p Period) Before(q Period) bool { return p.Compare(q) < 0 }

// After reports whether p comes after q.
func (p Period) After(q Period) bool { return p.Compare(q) > 0 }

// Next returns the period after p.
func (p Period) Next() Period { return fromIndex(p.Kind, p.index()+1) }

// Start returns p's first day (UTC midnight).
func (p Period) Start() time.Time {
	m := 1
	switch p.Kind {
	case Month:
		m = p.N
	case Quarter:
		m = 3*(p.N-1) + 1
	}
	return time.Date(p.Year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

// End returns p's last day (UTC midnight).
func (p Period) End() time.Time {
	months := map[Kind]int{Month: 1, Quarter: 3, Year: 12}[p.Kind]
	return p.Start().AddDate(0, months, -1)
}

// Of returns the period of kind k that holds day t.
func Of(t time.Time, k Kind) Period {
	switch k {
	case Month:
		return Period{Kind: Month, Year: t.Year(), N: int(t.Month())}
	case Quarter:
		return Period{Kind: Quarter, Year: t.Year(), N: (int(t.Month())-1)/3 + 1}
	}
	return Period{Kind: Year, Year: t.Year()}
}

// In returns the period of kind k that holds p; k must be p's kind or coarser.
func (p Period) In(k Kind) (Period, error) {
	if k < p.Kind {
		return Period{}, fmt.Errorf("period %s is coarser than the settlement %s", p, k)
	}
	return Of(p.Start(), k), nil
}

// Parse reads a label: `2025-03`, `2025-Q1` (or `2025-q1`) or `2025`.
func Parse(s string) (Period, error) {
	bad := fmt.Errorf("invalid period %q (want YYYY, YYYY-Qn or YYYY-MM)", s)
	if len(s) < 4 {
		return Period{}, bad
	}
	y, err := atoi(s[:4])
	if err != nil {
		return Period{}, bad
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Kind: Year, Year: y}, nil
	case len(rest) == 3 && rest[0] == '-' && (rest[1] == 'Q' || rest[1] == 'q'):
		q, err := atoi(rest[2:])
		if err != nil || q < 1 || q > 4 {
			return Period{}, bad
		}
		return Period{Kind: Quarter, Year: y, N: q}, nil
	case len(rest) == 3 && rest[0] == '-':
		m, err := atoi(rest[1:])
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		return Period{Kind: Month, Year: y, N: m}, nil
	}
	return Period{}, bad
}

func atoi(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("not a number")
		}
	}
	return strconv.Atoi(s)
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	if len(s) != 10 {
		return time.Time{}, fmt.Errorf("invalid date %q (want YYYY-MM-DD)", s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q (want YYYY-MM-DD)", s)
	}
	return t, nil
}

// FormatDate writes YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format("2006-01-02") }

// Span expands a requested period or range into the settlement periods of
// kind k it covers. `2025` under quarterly settlement is 2025-Q1..2025-Q4;
// a finer label than k (`2025-03` under quarterly) selects the period of
// kind k that holds it; `A..B` is every period from A's first to B's last.
func Span(s string, k Kind) ([]Period, error) {
	from, to := s, s
	if i := strings.Index(s, ".."); i >= 0 {
		from, to = s[:i], s[i+2:]
	}
	a, err := Parse(strings.TrimSpace(from))
	if err != nil {
		return nil, err
	}
	b, err := Parse(strings.TrimSpace(to))
	if err != nil {
		return nil, err
	}
	first, last := Of(a.Start(), k), Of(b.End(), k)
	if last.Before(first) {
		return nil, fmt.Errorf("invalid period range %q: it ends before it starts", s)
	}
	var out []Period
	for p := first; !p.After(last); p = p.Next() {
		out = append(out, p)
	}
	return out, nil
}
