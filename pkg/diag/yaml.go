package diag

import (
	"regexp"
	"strconv"
	"strings"
)

// yamlLine matches yaml's messages: "yaml: line 3: mapping values are not
// allowed in this context" (the line part is sometimes missing).
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// YAMLSyntax positions a yaml syntax error in the YAML file path (whose
// bytes are data) at path:line:col. yaml.v3 gives a line only, and for a
// parser error (a bracket never closed, a line that is no key) the line
// before the problem's: the line is corrected and the column found from
// the text. The config file and the agreement both use it.
func YAMLSyntax(path string, data []byte, err error) Problem {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	p := Problem{Path: path, Msg: "yaml: " + msg}
	if line == 0 {
		return p
	}
	if strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found a tab character") {
		line++ // yaml counts these from 0
	}
	if line > len(lines) {
		line = len(lines)
	}
	text := lines[line-1]
	col := len(text) - len(strings.TrimLeft(text, " ")) + 1
	switch {
	case strings.Contains(msg, "expected ',' or ']'"), strings.Contains(msg, "expected ',' or '}'"):
		// Point at the bracket that is never closed.
		open, close := byte('['), byte(']')
		if strings.HasSuffix(msg, "'}'") {
			open, close = '{', '}'
		}
		if l, c := unclosed(lines[:line], open, close); l > 0 {
			line, col = l, c
			p.Msg = "yaml: " + string(open) + " is never closed (" + msg + ")"
		}
	case strings.Contains(msg, "end of stream"):
		// A quoted value never closed: point at its opening quote.
		if i := strings.IndexAny(text, `"'`); i >= 0 {
			col = i + 1
		}
	case strings.HasPrefix(msg, "found a tab character"):
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			col = i + 1
		}
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		if i := strings.LastIndex(text, ": "); i >= 0 {
			col = i + 1
		} else if strings.HasSuffix(text, ":") {
			col = len(text)
		}
	}
	p.Line, p.Col = line, col
	return p
}

// unclosed finds the last open bracket in lines that no close bracket
// after it matches (quotes and comments are not parsed: good enough to
// point at the culprit); it returns its 1-based line and column, or 0.
func unclosed(lines []string, open, close byte) (int, int) {
	type pos struct{ l, c int }
	var stack []pos
	for i, text := range lines {
		for j := 0; j < len(text); j++ {
			switch text[j] {
			case open:
				stack = append(stack, pos{i + 1, j + 1})
			case close:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
		}
	}
	if len(stack) == 0 {
		return 0, 0
	}
	return stack[len(stack)-1].l, stack[len(stack)-1].c
}
