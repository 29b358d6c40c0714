package cli

import (
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		word  string
		cands []string
		want  string
	}{
		{"lins", []string{"lines", "host", "out"}, `did you mean "lines"?`},
		{"jsn", outputFormats, `did you mean "json"?`},
		{"azrue", []string{"aws", "azure", "gcp"}, `did you mean "azure"?`}, // a swap is one edit
		{"periodz", []string{"period", "agreement"}, `did you mean "period"?`},
		{"AWS", []string{"aws"}, ""}, // the same name in another case is no suggestion
		{"yaml", outputFormats, ""},
		{"x", []string{"xlsx", "md"}, ""}, // one letter suggests nothing
		{"agr", []string{"agreement", "format"}, `did you mean "agreement"?`},
	} {
		if got := didYouMean(c.word, c.cands); got != c.want {
			t.Errorf("didYouMean(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

// TestConfigSyntaxPosition: a broken config is reported where the problem
// is, not at yaml's own (often earlier) line.
func TestConfigSyntaxPosition(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"agreement: [b.yaml\n", "c.yaml:1:12: yaml: [ is never closed"},
		{"output: json\nagreement: [a.yaml\nperiod: 2025-Q1\n", "c.yaml:2:12: yaml: [ is never closed"},
		{"a: 1\nb: {x: 1\nc: 2\n", "c.yaml:2:4: yaml: { is never closed"},
		{"output: json\nagreement: \"x\nperiod: 2\n", "c.yaml:2:12: yaml: found unexpected end of stream"},
		{"output: json\n  agreement: x\n", "c.yaml:2:12: yaml: mapping values are not allowed in this context"},
		{"output: json\nperiod: 2\n\tformat: x\n", "c.yaml:3:1: yaml: found a tab character"},
		{"a: 1\n- b\n", "c.yaml:2:1: yaml: did not find expected key"},
		{"- agreement\n", "c.yaml:1:1: a config file is a mapping of settings"},
	} {
		_, err := parseConfig("c.yaml", []byte(c.text))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %s…", c.text, err, c.want)
		}
	}
	if _, err := parseConfig("c.yaml", []byte("# nothing yet\n")); err != nil {
		t.Errorf("a config of comments: %v", err)
	}
}
