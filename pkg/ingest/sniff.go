package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
)

// Picking a file's format from its first bytes (SPEC 4.2).

// pickLayout returns the forced format, or the one the header picks.
func pickLayout(a *agreement.Agreement, forced string, defDelim rune, sample []byte) (*layout, error) {
	names := formatNames(a)
	canonical := func() *layout {
		l := canonicalLayout(defDelim)
		l.cols.near = formatHeaders(a, names)
		return l
	}
	switch {
	case forced == Canonical:
		return canonical(), nil
	case forced != "":
		if a.Formats[forced] == nil {
			hint := "the agreement declares no formats"
			if len(names) > 0 {
				hint = "declared formats: " + Canonical + ", " + strings.Join(names, ", ")
			}
			return nil, diag.Problem{Msg: fmt.Sprintf("unknown format %q", forced), Hint: hint}
		}
		l := compileNamed(a, forced, defDelim)
		if l.compileEr != nil {
			return nil, l.compileEr
		}
		return l, nil
	}

	type sniffKey struct {
		skip  int
		delim rune
	}
	headers := map[sniffKey]map[string]bool{}
	return bestLayout(a, names, defDelim, "the header matches", canonical, func(l *layout) map[string]bool {
		k := sniffKey{l.skip, l.delim}
		hdr, ok := headers[k]
		if !ok {
			hdr = sniffHeader(sample, l.skip, l.delim)
			headers[k] = hdr
		}
		return hdr
	})
}

// formatNames returns the names of the agreement's formats, sorted.
func formatNames(a *agreement.Agreement) []string {
	names := make([]string, 0, len(a.Formats))
	for n := range a.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// compileNamed compiles the format the agreement declares under name.
func compileNamed(a *agreement.Agreement, name string, defDelim rune) *layout {
	f := a.Formats[name]
	if f.Name == "" {
		g := *f
		g.Name = name
		f = &g
	}
	return compileFormat(a, f, defDelim)
}

// bestLayout returns the declared format all of whose mapped headers are
// in hdr(its layout) — the most of them wins; a tie is an error, which
// says "<matches> formats … equally well" — else canonical().
func bestLayout(a *agreement.Agreement, names []string, defDelim rune, matches string, canonical func() *layout, hdr func(*layout) map[string]bool) (*layout, error) {
	var best []*layout
	for _, n := range names {
		l := compileNamed(a, n, defDelim)
		if h := hdr(l); h == nil || !l.matches(h) {
			continue
		}
		switch {
		case len(best) == 0 || len(l.explicit) > len(best[0].explicit):
			best = []*layout{l}
		case len(l.explicit) == len(best[0].explicit):
			best = append(best, l)
		}
	}
	switch len(best) {
	case 0:
		return canonical(), nil
	case 1:
		if best[0].compileEr != nil {
			return nil, best[0].compileEr
		}
		return best[0], nil
	}
	tied := make([]string, len(best))
	for i, l := range best {
		tied[i] = fmt.Sprintf("%q", l.name)
	}
	return nil, diag.Problem{
		Msg:    fmt.Sprintf("%s formats %s equally well", matches, strings.Join(tied, ", ")),
		Remedy: "format", // one format named picks it
	}
}

// sniffHeader reads the header record of sample after skip lines with the
// delimiter delim, as a set of keys; nil when there is none.
func sniffHeader(sample []byte, skip int, delim rune) map[string]bool {
	for i := 0; i < skip; i++ {
		j := bytes.IndexByte(sample, '\n')
		if j < 0 {
			return nil
		}
		sample = sample[j+1:]
	}
	cr := csv.NewReader(bytes.NewReader(sample))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		return nil
	}
	set := make(map[string]bool, len(rec))
	for _, h := range rec {
		set[key(h)] = true
	}
	return set
}

// skipLine consumes one physical line; io.EOF when there is none.
func skipLine(br *bufio.Reader) error {
	n := 0
	for {
		b, err := br.ReadSlice('\n')
		n += len(b)
		switch err {
		case nil:
			return nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if n > 0 {
				return nil
			}
		}
		return err
	}
}

// isUTF16 recognises UTF-16 by its byte-order mark, or by text whose every
// other byte is NUL.
func isUTF16(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	n := min(len(b), 512) &^ 1
	if n < 2 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return (odd*2 >= pairs && even == 0) || (even*2 >= pairs && odd == 0)
}
