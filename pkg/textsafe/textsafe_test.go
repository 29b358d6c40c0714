package textsafe

import (
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"@sum(a1)":                   "'@sum(a1)",
		"+2+3":                       "'+2+3",
		"-2+3":                       "'-2+3",
		"\t=1":                       "'\t=1",
		"\r=1":                       "'\r=1",
		"'=1":                        "''=1",
		"'x":                         "'x",
		"-":                          "'-",
		"-4.00":                      "-4.00",
		"-1,234.56":                  "-1,234.56",
		"+12.5%":                     "+12.5%",
		"12.5%":                      "12.5%",
		"llama-3":                    "llama-3",
		"":                           "",
		"@cf/meta/llama-3-8b":        "'@cf/meta/llama-3-8b",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
		if back := CSVUncell(CSVCell(in)); back != in {
			t.Errorf("CSVUncell(CSVCell(%q)) = %q", in, back)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringMatching(`['=+\-@\t\r0-9.,%a-z]{0,6}`).Draw(t, "s")
		c := CSVCell(s)
		if back := CSVUncell(c); back != s {
			t.Fatalf("CSVUncell(CSVCell(%q)) = %q (cell %q)", s, back, c)
		}
		if quoted(c) && !isNumber(c) && c[0] != '\'' {
			t.Fatalf("CSVCell(%q) = %q starts a formula", s, c)
		}
	})
}

func TestTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"llama\x1b[31mred": `llama\x1b[31mred`,
		"a\rb\nc\td":       `a\rb\nc\td`,
		"del\x7f":          `del\x7f`,
		"c1\u009b2J":       `c1\u009b2J`,
		"bad\xffbyte":      `bad\xffbyte`,
		"café ٣ 日本":        "café ٣ 日本",
		"back\\slash":      "back\\slash",
		"":                 "",
	} {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
	if got := TerminalText("a\x1b\nb\r\n"); got != "a\\x1b\nb\\r\n" {
		t.Errorf("TerminalText = %q", got)
	}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		got := Terminal(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Terminal(%q) = %q is not UTF-8", s, got)
		}
		for _, r := range got {
			if isControl(r) {
				t.Fatalf("Terminal(%q) = %q keeps %U", s, got, r)
			}
		}
		if Terminal(got) != got {
			t.Fatalf("Terminal is not idempotent on %q", s)
		}
	})
}
