// Package diag carries positioned problems (`path:line:col: message`) from
// the packages that find them to the command line, which prints them all.
package diag

import (
	"fmt"
	"strings"
)

// MaxListed is how many problems an error message lists before a count.
const MaxListed = 50

// Problem is one thing wrong with an input, at a position when there is one.
type Problem struct {
	Path   string // file name as given; "" when there is none
	Line   int    // 1-based; 0 = no line
	Col    int    // 1-based; 0 = no column
	Column string // CSV column name, when the problem is in one field
	Msg    string
	Hint   string // optional second line: "hint: …"
	// Remedy names the setting (its configuration key, e.g. "format")
	// that resolves the problem. The packages that find problems know
	// nothing of flags: the command line words the hint for it.
	Remedy string
}

// Error formats the problem as `path:line:col: message`, or
// `path:line: column: message` for a CSV field.
func (p Problem) Error() string {
	var b strings.Builder
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteByte(':')
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, "%d:", p.Col)
		}
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if p.Column != "" {
		b.WriteString(p.Column)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	if p.Hint != "" {
		b.WriteString("\nhint: ")
		b.WriteString(p.Hint)
	}
	return b.String()
}

// List is a set of problems; as an error it lists the first MaxListed and
// then how many more there were.
type List []Problem

// Error prints one problem a line.
func (l List) Error() string {
	var b strings.Builder
	for i, p := range l {
		if i == MaxListed {
			fmt.Fprintf(&b, "\n… and %d more problems", len(l)-MaxListed)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Err returns l as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Add appends a problem.
func (l *List) Add(p Problem) { *l = append(*l, p) }

// Addf appends a problem at path:line:col.
func (l *List) Addf(path string, line, col int, format string, args ...any) {
	*l = append(*l, Problem{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// Limited gathers problems that may be very many (bad rows of a large
// file): it keeps the first MaxListed and counts the rest, so that memory
// stays bounded however many there are.
type Limited struct {
	List  List   // the first MaxListed problems
	Total int    // every problem added
	Noun  string // what the problems are, plural ("bad rows"); default "problems"
	Hint  string // appended to the count line when some are not listed
	// Remedy names the setting that would set the problems aside (e.g.
	// "rejects"): the command line words Hint for it.
	Remedy string
}

// Add counts p and keeps it when fewer than MaxListed are kept.
func (l *Limited) Add(p Problem) {
	l.Total++
	if len(l.List) < MaxListed {
		l.List = append(l.List, p)
	}
}

// Err returns l as an error, or nil when nothing was added.
func (l *Limited) Err() error {
	if l.Total == 0 {
		return nil
	}
	return l
}

// Error lists the kept problems one a line, then, when some were not
// kept, a line counting them: `… and 10 more bad rows (60 in all)`.
func (l *Limited) Error() string {
	s := l.List.Error()
	if more := l.Total - len(l.List); more > 0 {
		noun := l.Noun
		if noun == "" {
			noun = "problems"
		}
		s += fmt.Sprintf("\n… and %d more %s (%d in all)", more, noun, l.Total)
		if l.Hint != "" {
			s += "; " + l.Hint
		}
	}
	return s
}

// As lets errors.As see a Limited as the List it keeps: the command line
// prints a List (positioned problems) as it is, without a prefix.
func (l *Limited) As(target any) bool {
	if p, ok := target.(*List); ok {
		*p = l.List
		return true
	}
	return false
}
