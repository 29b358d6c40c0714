package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "a.yaml", Line: 3, Col: 5, Msg: "bad"}, "a.yaml:3:5: bad"},
		{Problem{Path: "q1.csv", Line: 7, Column: "gross", Msg: "invalid amount"}, "q1.csv:7: gross: invalid amount"},
		{Problem{Path: "q1.csv", Msg: "cannot open", Hint: "check the name"}, "q1.csv: cannot open\nhint: check the name"},
		{Problem{Msg: "alone"}, "alone"},
	} {
		if got := c.p.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func many(n int) []Problem {
	var ps []Problem
	for i := 1; i <= n; i++ {
		ps = append(ps, Problem{Path: "f.csv", Line: i + 1, Msg: "bad"})
	}
	return ps
}

// The first MaxListed problems, one a line, then a line counting the rest.
func TestListAndLimited(t *testing.T) {
	var l List
	for _, p := range many(60) {
		l.Add(p)
	}
	lines := strings.Split(l.Error(), "\n")
	if len(lines) != 51 || lines[49] != "f.csv:51: bad" || lines[50] != "… and 10 more problems" {
		t.Errorf("List: %d lines, ending %q", len(lines), lines[len(lines)-2:])
	}

	lim := &Limited{Noun: "bad rows", Hint: "use --rejects PATH"}
	if lim.Err() != nil {
		t.Error("empty Limited is an error")
	}
	for _, p := range many(60) {
		lim.Add(p)
	}
	if len(lim.List) != MaxListed || lim.Total != 60 {
		t.Errorf("kept %d of %d", len(lim.List), lim.Total)
	}
	lines = strings.Split(lim.Err().Error(), "\n")
	if len(lines) != 51 || lines[50] != "… and 10 more bad rows (60 in all); use --rejects PATH" {
		t.Errorf("Limited: %d lines, ending %q", len(lines), lines[len(lines)-1])
	}
	// Fewer than MaxListed: no count line.
	few := &Limited{}
	for _, p := range many(3) {
		few.Add(p)
	}
	if got := few.Error(); got != "f.csv:2: bad\nf.csv:3: bad\nf.csv:4: bad" {
		t.Errorf("few: %q", got)
	}
	// errors.As sees a Limited, even wrapped, as its List.
	var as List
	if !errors.As(fmt.Errorf("wrapped: %w", lim), &as) || len(as) != MaxListed {
		t.Errorf("errors.As(List) = %d problems", len(as))
	}
}
