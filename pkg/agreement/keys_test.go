package agreement

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tagged returns the yaml keys of a schema type's fields and, per key, the
// values of its jsonschema enum tags.
func tagged(v any) ([]string, map[string][]string) {
	t := reflect.TypeOf(v)
	var keys []string
	enums := map[string][]string{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		keys = append(keys, key)
		for _, part := range splitTag(f.Tag.Get("jsonschema")) {
			if e, ok := strings.CutPrefix(part, "enum="); ok {
				enums[key] = append(enums[key], e)
			}
		}
	}
	return keys, enums
}

// splitTag splits a jsonschema tag at its commas; `\,` is a comma inside
// a value, as invopop/jsonschema reads it.
func splitTag(tag string) []string {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(tag); i++ {
		switch {
		case tag[i] == '\\' && i+1 < len(tag):
			i++
			cur.WriteByte(tag[i])
		case tag[i] == ',':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(tag[i])
		}
	}
	return append(parts, cur.String())
}

// TestSchemaTypesMatchDecoder pins the schema's types (schema.go) to the
// keys and enumerated values the decoder accepts: a key or value added to
// one and not the other fails here, so `llamashare schema` cannot drift
// from what `validate` reads.
func TestSchemaTypesMatchDecoder(t *testing.T) {
	sameSet := func(t *testing.T, what string, got, want []string) {
		t.Helper()
		g, w := slices.Clone(got), slices.Clone(want)
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Errorf("%s: schema has %q, decoder %q", what, got, want)
		}
	}
	cases := []struct {
		name  string
		typ   any
		keys  []string
		enums map[string][]string
	}{
		{"top level", fileAgreement{}, topKeys, map[string][]string{"schema": {SchemaV1}, "period": periodKinds}},
		{"rounding", fileRounding{}, roundingKeys, map[string][]string{"mode": roundingModes}},
		{"fx", fileFX{}, fxKeys, map[string][]string{"method": fxMethods}},
		{"host", fileHost{}, hostKeys, nil},
		{"terms", fileTerms{}, termsKeys, map[string][]string{"deduct": Deductibles, "reports": reportKinds}},
		{"rule", fileRule{}, ruleKeys, nil},
		{"tiers", fileTiers{}, tiersKeys, map[string][]string{"mode": tierModes, "window": tierWindows, "scope": tierScopes}},
		{"band", fileBand{}, bandKeys, nil},
		{"per_unit", filePerUnit{}, perUnitKeys, nil},
		{"minimum", fileLimit{}, minimumKeys, map[string][]string{"per": minimumPers}},
		{"cap", fileCap{}, capKeys, map[string][]string{"per": capPers}},
		{"advance", fileAdv{}, advanceKeys, nil},
		{"payout", filePayout{}, payoutKeys, nil},
		{"format", fileFormat{}, formatKeys, map[string][]string{"delimiter": delimiters, "decimal": decimalSeps, "negate": negatable}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keys, enums := tagged(c.typ)
			sameSet(t, "keys", keys, c.keys)
			for k := range enums {
				if _, ok := c.enums[k]; !ok {
					t.Errorf("schema enumerates %q; the decoder's list is not checked here", k)
				}
			}
			for k, want := range c.enums {
				got := enums[k]
				sameSet(t, "enum "+k, got, want)
			}
		})
	}
}
