// Package textsafe keeps partner text (host and product names, report
// fields) from acting on what displays it: a spreadsheet opening a CSV
// (formula injection) or a terminal printing a table (escape sequences).
//
// CSV: a text cell that a spreadsheet would read as a formula — one
// starting with '=', '+', '-', '@', a tab or a carriage return, after any
// leading single quotes — gets a single quote in front, as OWASP
// recommends; a spreadsheet shows the quote-prefixed cell as the text it
// was. Numbers (-4.00, -1,234.56, +12.5%) are never changed. CSVUncell
// undoes CSVCell exactly, so a --rejects file reads back as written.
//
// Terminal: control characters (C0 including tab, CR and newline, DEL,
// C1) and invalid UTF-8 bytes print as Go escapes (\x1b, \r, \u009b,
// \xff), so a name can neither move the cursor nor recolour the screen.
// JSON escapes on its own and is never passed through here.
package textsafe

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// formulaStart reports whether c starts a formula in a spreadsheet.
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// isNumber reports whether s is a plain number a spreadsheet cannot run:
// an optional sign, then only digits, '.', ',' and a final '%', with at
// least one digit.
func isNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	s = strings.TrimSuffix(s, "%")
	digit := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '.' || c == ',':
		default:
			return false
		}
	}
	return digit
}

// quoted reports whether s, after its leading single quotes, starts as a
// formula.
func quoted(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && formulaStart(t[0])
}

// CSVCell neutralises one CSV cell: a single quote before a cell that
// starts (after any single quotes) with = + - @ tab or CR, unless the
// cell is a plain number.
func CSVCell(s string) string {
	if quoted(s) && !isNumber(s) {
		return "'" + s
	}
	return s
}

// CSVRecord returns rec with every cell neutralised (a new slice).
func CSVRecord(rec []string) []string {
	out := make([]string, len(rec))
	for i, c := range rec {
		out[i] = CSVCell(c)
	}
	return out
}

// CSVUncell undoes CSVCell: it removes the single quote CSVCell added.
// For every s, CSVUncell(CSVCell(s)) == s.
func CSVUncell(s string) string {
	if strings.HasPrefix(s, "'") && quoted(s) {
		return s[1:]
	}
	return s
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// Terminal escapes every control character and invalid UTF-8 byte of s.
func Terminal(s string) string { return escape(s, false) }

// TerminalText is Terminal for multi-line text: newlines are kept.
func TerminalText(s string) string { return escape(s, true) }

func escape(s string, keepNewline bool) string {
	clean := true
	for _, r := range s {
		if isControl(r) && !(keepNewline && r == '\n') || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])>>4, 16) + strconv.FormatUint(uint64(s[i])&0xf, 16))
		case isControl(r) && !(keepNewline && r == '\n'):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
