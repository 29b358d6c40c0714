package report

import (
	"bufio"
	"io"
)

// WriteTableStream writes WriteTable's table of the document of s: the
// summary from the settlements alone, without their lines.
func WriteTableStream(w io.Writer, s *Stream, scale int32, lines bool) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	doc := s.summary()
	if lines {
		doc = s.Document()
	}
	if err := WriteTable(bw, doc, scale, lines); err != nil {
		return err
	}
	return bw.Flush()
}
