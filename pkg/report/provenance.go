package report

// Change is one difference in provenance between an expected result and
// this run's: the agreement, the fx rates file or an input (SPEC 8).
// Compare leaves provenance out (SPEC 7); --expect and check print these
// as notes, and under --strict a Change with Hash set is a difference.
type Change struct {
	Diff
	Hash bool // a sha256 changed, or a file came or went
}

// String reads `agreement agreement.yaml sha256: want 1eec…, got 0bb3…`.
// Hashes and paths are shown as they are, never as amounts.
func (c Change) String() string { return c.text(orNull) }

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// Provenance lists how got's provenance differs from want's: the
// agreement's path and sha256, the fx rates file's path, sha256 and method,
// and the inputs, matched by path and then by sha256 (a renamed file with
// the same bytes is a note, not a hash change).
func Provenance(want, got *Document) []Change {
	var out []Change
	add := func(where, field, w, g string, hash bool) {
		out = append(out, Change{Diff: Diff{Where: where, Field: field, Want: w, Got: g}, Hash: hash})
	}
	wa, ga := want.Agreement, got.Agreement
	if wa.SHA256 != ga.SHA256 {
		add("agreement "+ga.Path, "sha256", wa.SHA256, ga.SHA256, true)
	}
	if wa.Path != ga.Path {
		add("agreement", "path", wa.Path, ga.Path, false)
	}

	switch wf, gf := want.FX, got.FX; {
	case wf == nil && gf != nil:
		add("fx", "", "none", gf.Path+" sha256 "+gf.SHA256, true)
	case wf != nil && gf == nil:
		add("fx", "", wf.Path+" sha256 "+wf.SHA256, "none", true)
	case wf != nil && gf != nil:
		if wf.SHA256 != gf.SHA256 {
			add("fx "+gf.Path, "sha256", wf.SHA256, gf.SHA256, true)
		}
		if wf.Path != gf.Path {
			add("fx", "path", wf.Path, gf.Path, false)
		}
		if wf.Method != gf.Method {
			add("fx", "method", wf.Method, gf.Method, false)
		}
	}

	gotByPath := map[string]InputDoc{}
	for _, in := range got.Inputs {
		gotByPath[in.Path] = in
	}
	matched := map[string]bool{} // got paths accounted for
	var wantLeft []InputDoc
	for _, w := range want.Inputs {
		g, ok := gotByPath[w.Path]
		if !ok {
			wantLeft = append(wantLeft, w)
			continue
		}
		matched[g.Path] = true
		if w.SHA256 != g.SHA256 {
			add("input "+w.Path, "sha256", w.SHA256, g.SHA256, true)
		}
	}
	gotBySHA := map[string]InputDoc{}
	for _, g := range got.Inputs {
		if !matched[g.Path] {
			if _, dup := gotBySHA[g.SHA256]; !dup {
				gotBySHA[g.SHA256] = g
			}
		}
	}
	for _, w := range wantLeft {
		if g, ok := gotBySHA[w.SHA256]; ok && !matched[g.Path] {
			matched[g.Path] = true
			add("input "+w.Path, "path", w.Path, g.Path+" (same sha256)", false)
			continue
		}
		add("input "+w.Path, "", "sha256 "+w.SHA256, "no such input", true)
	}
	for _, g := range got.Inputs {
		if !matched[g.Path] {
			add("input "+g.Path, "", "no such input", "sha256 "+g.SHA256, true)
		}
	}
	return out
}
