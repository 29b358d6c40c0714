package report

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/limits"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// Diff is one field that differs between an expected and an actual result.
type Diff struct {
	Where string // "aws 2025-Q1", "aws 2025-Q1 line frontier/llama-4-scout/band 2", "totals"
	Field string // "payable"; "" when a whole settlement or line is missing
	Want  string
	Got   string
}

// String reads `aws 2025-Q1 payable: want 153,099.19, got 153,099.20`.
func (d Diff) String() string { return d.text(show) }

// text reads d with a field's values written by show.
func (d Diff) text(show func(string) string) string {
	if d.Field == "" {
		return fmt.Sprintf("%s: want %s, got %s", d.Where, d.Want, d.Got)
	}
	return fmt.Sprintf("%s %s: want %s, got %s", d.Where, d.Field, show(d.Want), show(d.Got))
}

// show groups a plain amount's thousands for reading; anything else is
// shown as it is.
func show(s string) string {
	if s == "" {
		return "null"
	}
	d, err := money.ParseAmount(s, '.')
	if err != nil || strings.ContainsAny(s, ",%$") {
		return s
	}
	scale := int32(0)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = int32(len(s) - i - 1)
	}
	return money.Group(d, scale)
}

// ReadDocument reads a JSON result written by `settle -o json`.
func ReadDocument(path string) (*Document, error) { return ReadDocumentIn("", path) }

// ReadDocumentIn is ReadDocument with a relative path taken from the
// folder dir; messages name path as given.
func ReadDocumentIn(dir workdir.Dir, path string) (*Document, error) {
	data, err := limits.ReadFile(dir, path, limits.Expect, "an expected result")
	if err != nil {
		return nil, diag.Problem{Path: path, Msg: "cannot read expected result: " + workdir.Cause(err).Error()}
	}
	var doc Document
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&doc); err != nil {
		return nil, diag.Problem{Path: path, Msg: "not a llamashare JSON result: " + err.Error()}
	}
	if doc.Schema != SchemaV1 {
		return nil, diag.Problem{Path: path, Msg: fmt.Sprintf("schema %q is not %s", doc.Schema, SchemaV1)}
	}
	return &doc, nil
}

// Compare lists the differences of got from want in settlements and
// totals; tool, agreement and input metadata are not compared (SPEC 7).
func Compare(want, got *Document) []Diff {
	var diffs []Diff
	key := func(s Settlement) string { return s.Host + " " + s.Period }
	gotBy := map[string]Settlement{}
	for _, s := range got.Settlements {
		gotBy[key(s)] = s
	}
	wantBy := map[string]bool{}
	for _, w := range want.Settlements {
		k := key(w)
		wantBy[k] = true
		g, ok := gotBy[k]
		if !ok {
			diffs = append(diffs, Diff{Where: k, Want: "a settlement", Got: "none"})
			continue
		}
		diffs = append(diffs, fields(k, w, g, "Lines", "Currencies", "Adjustments")...)
		diffs = append(diffs, compareAdjustments(k, w.Adjustments, g.Adjustments)...)
		diffs = append(diffs, compareCurrencies(k, w.Currencies, g.Currencies)...)
		diffs = append(diffs, compareLines(k, w.Lines, g.Lines)...)
	}
	for _, g := range got.Settlements {
		if !wantBy[key(g)] {
			diffs = append(diffs, Diff{Where: key(g), Want: "none", Got: "a settlement"})
		}
	}
	return append(diffs, fields("totals", want.Totals, got.Totals)...)
}

// compareCurrencies compares the currency breakdowns, by currency.
func compareCurrencies(where string, want, got []CurrencyDoc) []Diff {
	var diffs []Diff
	gotBy := map[string]CurrencyDoc{}
	for _, c := range got {
		gotBy[c.Currency] = c
	}
	seen := map[string]bool{}
	for _, w := range want {
		seen[w.Currency] = true
		g, ok := gotBy[w.Currency]
		if !ok {
			diffs = append(diffs, Diff{Where: where + " currency " + w.Currency, Want: "an entry", Got: "none"})
			continue
		}
		diffs = append(diffs, fields(where+" currency "+w.Currency, w, g)...)
	}
	for _, g := range got {
		if !seen[g.Currency] {
			diffs = append(diffs, Diff{Where: where + " currency " + g.Currency, Want: "none", Got: "an entry"})
		}
	}
	return diffs
}

func lineKey(l Line) string {
	k := l.Rule + "/" + l.Product
	if l.Band != nil {
		k += fmt.Sprintf("/band %d", *l.Band)
	}
	return k
}

func compareLines(where string, want, got []Line) []Diff {
	var diffs []Diff
	gotBy := map[string]Line{}
	for _, l := range got {
		gotBy[lineKey(l)] = l
	}
	seen := map[string]bool{}
	for _, w := range want {
		k := lineKey(w)
		seen[k] = true
		g, ok := gotBy[k]
		if !ok {
			diffs = append(diffs, Diff{Where: where + " line " + k, Want: "a line", Got: "none"})
			continue
		}
		diffs = append(diffs, fields(where+" line "+k, w, g)...)
	}
	for _, g := range got {
		if !seen[lineKey(g)] {
			diffs = append(diffs, Diff{Where: where + " line " + lineKey(g), Want: "none", Got: "a line"})
		}
	}
	return diffs
}

// fields compares the scalar fields of two structs of the same type by
// their JSON names, skipping the named fields.
func fields(where string, want, got any, skip ...string) []Diff {
	var diffs []Diff
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	t := wv.Type()
outer:
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		for _, s := range skip {
			if f.Name == s {
				continue outer
			}
		}
		a, b := text(wv.Field(i)), text(gv.Field(i))
		if a != b && !sameAmount(a, b) {
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			diffs = append(diffs, Diff{Where: where, Field: name, Want: a, Got: b})
		}
	}
	return diffs
}

// text renders a field's value: strings as they are, pointers to their
// value or "" for null, numbers in decimal.
func text(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	return fmt.Sprint(v.Interface())
}

// sameAmount reports whether two texts are the same number written
// differently ("100" and "100.00").
func sameAmount(a, b string) bool {
	x, err1 := money.ParseAmount(a, '.')
	y, err2 := money.ParseAmount(b, '.')
	return err1 == nil && err2 == nil && x.Equal(y)
}
