package report

// compareAdjustments compares a ledger run's adjustments lines (SPEC 9)
// by the closed period they adjust; a run with a ledger against one
// without shows as the list being there or not.
func compareAdjustments(where string, want, got *[]Adjustment) []Diff {
	switch {
	case want == nil && got == nil:
		return nil
	case want == nil:
		return []Diff{{Where: where, Field: "adjustments", Want: "", Got: "a list (a ledger run)"}}
	case got == nil:
		return []Diff{{Where: where, Field: "adjustments", Want: "a list (a ledger run)", Got: ""}}
	}
	var diffs []Diff
	gotBy := map[string]Adjustment{}
	for _, a := range *got {
		gotBy[a.Period] = a
	}
	seen := map[string]bool{}
	for _, w := range *want {
		seen[w.Period] = true
		at := where + " adjustment " + w.Period
		g, ok := gotBy[w.Period]
		if !ok {
			diffs = append(diffs, Diff{Where: at, Want: "a line", Got: "none"})
			continue
		}
		diffs = append(diffs, fields(at, w, g)...)
	}
	for _, g := range *got {
		if !seen[g.Period] {
			diffs = append(diffs, Diff{Where: where + " adjustment " + g.Period, Want: "none", Got: "a line"})
		}
	}
	return diffs
}
