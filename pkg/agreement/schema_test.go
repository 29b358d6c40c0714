package agreement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// toJSON turns a YAML node into the JSON value an editor's YAML
// extension validates: plain numbers become numbers, everything else
// stays text.
func toJSON(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return toJSON(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = toJSON(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			out = append(out, toJSON(c))
		}
		return out
	}
	switch n.Tag {
	case "!!int", "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !strings.Contains(n.Value, "_") {
			if !json.Valid([]byte(n.Value)) {
				// 00 and .5 are numbers to YAML, not JSON's spelling
				// of them: the schema only checks their type.
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
			}
			return json.Number(n.Value)
		}
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("agreement.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("agreement.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

func validateYAML(s *jsonschema.Schema, data []byte) error {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	// Round-trip through JSON so numbers are what a JSON validator sees.
	raw, err := json.Marshal(toJSON(&n))
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// TestSchemaAcceptsExamples validates every agreement the project ships
// (examples, the decoder's test data) against the schema, and checks that
// each also decodes: the schema and the decoder agree on them.
func TestSchemaAcceptsExamples(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob("../../examples/*/agreement.yaml")
	more, _ := filepath.Glob("../../examples/*/*/agreement.yaml")
	files = append(append(files, more...), "testdata/full.yaml")
	if len(files) < 2 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateYAML(s, data); err != nil {
			t.Errorf("%s does not validate against the schema: %v", f, err)
		}
		if _, err := Decode(f, data); err != nil {
			t.Errorf("%s does not decode: %v", f, err)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	base := "schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n  aws:\n    terms:\n      - from: 2025-01-01\n        rates: [{%s}]\n"
	if err := validateYAML(s, []byte(fmt.Sprintf(base, "rate: 12.5%"))); err != nil {
		t.Fatalf("valid agreement rejected: %v", err)
	}
	for _, bad := range []string{
		"rate: 0.125",       // a bare number as a rate
		"rat: 12.5%",        // an unknown key
		"rate: 12.5%, x: 1", // another unknown key
	} {
		if err := validateYAML(s, []byte(fmt.Sprintf(base, bad))); err == nil {
			t.Errorf("%q: the schema accepted it", bad)
		}
	}
	if err := validateYAML(s, []byte(strings.Replace(fmt.Sprintf(base, "rate: 1%"), "currency: USD\n", "", 1))); err == nil {
		t.Error("missing currency: the schema accepted it")
	}
	// A format's columns keys, negate items and kinds values are the
	// decoder's lists (Fields, negatable, kindMeanings).
	withFormat := func(f string) []byte {
		return []byte(strings.Replace(fmt.Sprintf(base, "rate: 1%"), "hosts:\n", "formats:\n  f:\n"+f+"hosts:\n", 1))
	}
	good := "    host: aws\n    columns: {date: d, product: p, refunds: r}\n    amount: a\n    kind: k\n    kinds: {A: gross, B: ignore}\n    negate: [refunds]\n"
	if err := validateYAML(s, withFormat(good)); err != nil {
		t.Fatalf("valid format rejected: %v", err)
	}
	for _, bad := range []string{
		"    columns: {date: d, product: p, grosss: g}\n",
		"    negate: [grosss]\n",
		"    amount: a\n    kind: k\n    kinds: {A: grosss}\n",
	} {
		if err := validateYAML(s, withFormat(bad)); err == nil {
			t.Errorf("format %q: the schema accepted it", bad)
		}
	}
	// Host ids are lowercase letters, digits and '-' (SPEC 2), as the
	// decoder requires (hostIDPattern).
	for _, id := range []string{"AWS", "aws_1", "-aws", "amazon bedrock"} {
		if err := validateYAML(s, []byte(strings.Replace(fmt.Sprintf(base, "rate: 1%"), "  aws:", "  "+id+":", 1))); err == nil {
			t.Errorf("host id %q: the schema accepted it", id)
		}
	}
}
