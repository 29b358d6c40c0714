package report

import (
	"github.com/llamashare/llamashare/pkg/settle"
)

// Stream is a document whose settlements, and their share lines, are
// made one at a time as a writer asks for them: JSON and CSV are written
// without ever holding the whole document, as values or as text.
type Stream struct {
	Head *Document // the document without its settlements
	Len  int       // how many settlements
	// At makes settlement i, its Lines left empty.
	At func(i int) Settlement
	// Lines calls each with settlement i's share lines in order, and
	// stops at the first error.
	Lines func(i int, each func(*Line) error) error
}

// DocumentStream streams a document already built.
func DocumentStream(doc *Document) *Stream {
	head := *doc
	head.Settlements = []Settlement{}
	return &Stream{
		Head: &head,
		Len:  len(doc.Settlements),
		At: func(i int) Settlement {
			s := doc.Settlements[i]
			s.Lines = []Line{}
			return s
		},
		Lines: func(i int, each func(*Line) error) error {
			for k := range doc.Settlements[i].Lines {
				if err := each(&doc.Settlements[i].Lines[k]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// ResultStream streams the document Build would make of res, making each
// settlement and line only when it is written.
func ResultStream(res *settle.Result, version string) *Stream {
	ag := res.Agreement
	return &Stream{
		Head: buildHead(res, version),
		Len:  len(res.Settlements),
		At:   func(i int) Settlement { return buildSettlement(ag, res.Settlements[i], false) },
		Lines: func(i int, each func(*Line) error) error {
			return eachLine(ag.Rounding, res.Settlements[i], each)
		},
	}
}

// summary is every settlement of s without its lines: what the summary
// formats lay out (a settlement per host and period, few).
func (s *Stream) summary() *Document {
	doc := *s.Head
	doc.Settlements = make([]Settlement, s.Len)
	for i := range doc.Settlements {
		doc.Settlements[i] = s.At(i)
	}
	return &doc
}

// Document builds the whole document of s, its lines too.
func (s *Stream) Document() *Document {
	doc := s.summary()
	for i := range doc.Settlements {
		st := &doc.Settlements[i]
		st.Lines = []Line{}
		_ = s.Lines(i, func(l *Line) error { st.Lines = append(st.Lines, *l); return nil })
	}
	return doc
}
