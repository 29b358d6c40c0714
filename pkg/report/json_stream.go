package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strconv"
)

// WriteJSON writes doc indented by two spaces, with a final newline.
func WriteJSON(w io.Writer, doc *Document) error {
	if doc.Settlements == nil {
		return encodeWhole(w, doc) // "settlements": null, as read
	}
	return WriteJSONStream(w, DocumentStream(doc))
}

// encodeWhole writes v as json.Encoder does with a two-space indent.
func encodeWhole(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteJSONStream writes the document of s with the bytes of WriteJSON's
// json.Encoder (two-space indent, HTML left unescaped, a final newline),
// a settlement and a share line at a time through a buffered writer: the
// text of the whole document is never held, nor its values.
func WriteJSONStream(w io.Writer, s *Stream) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	e := &splicer{w: bw}
	head := *s.Head
	head.Settlements = []Settlement{}
	err := e.splice(&head, "", "settlements", func(put func(func(string) error) error) error {
		if s.Len < parFrom || runtime.GOMAXPROCS(0) < 2 {
			for i := 0; i < s.Len; i++ {
				if err := put(func(prefix string) error { return writeSettlement(e, s, i, prefix) }); err != nil {
					return err
				}
			}
			return nil
		}
		// Made side by side (json_parallel.go), written in order.
		return eachSettlementText(s, settlementsPrefix, func(text []byte) error {
			return put(func(prefix string) error {
				if prefix != settlementsPrefix {
					return errors.New("report: settlements indented under " + strconv.Quote(prefix))
				}
				_, err := bw.Write(text)
				return err
			})
		})
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// splicer writes indented JSON values, splicing the elements of an array
// into the place where the value has it empty.
type splicer struct {
	w    *bufio.Writer
	buf  bytes.Buffer
	line []byte // a share line's text (encodeLine)
	head []byte // a settlement's text before its lines (writeSettlement)
}

// encode writes v indented under prefix, without the final newline.
func (e *splicer) encode(v any, prefix string) error {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := e.w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	return err
}

// encodeLine writes l as encode does, without reflection when it can.
func (e *splicer) encodeLine(l *Line, prefix string) error {
	var ok bool
	if e.line, ok = appendLine(e.line[:0], l, prefix); !ok {
		return e.encode(l, prefix)
	}
	_, err := e.w.Write(e.line)
	return err
}

// splice writes v indented under prefix (without the final newline), its
// field key, an empty array, holding what items puts there: each call of
// put writes the separator and the indent, then lets its function write
// one element indented under the prefix it is given. The key is found at
// the depth of v's own fields, quotes unescaped: no string can hold that.
func (e *splicer) splice(v any, prefix, key string, items func(put func(func(prefix string) error) error) error) error {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	text := bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))
	keyIndent := prefix + "  "
	mark := "\n" + keyIndent + `"` + key + `": []`
	at := bytes.Index(text, []byte(mark))
	if at < 0 {
		return errors.New("report: no empty " + key + " in the document")
	}
	tail := append([]byte(nil), text[at+len(mark):]...)         // items reuse the buffer
	if _, err := e.w.Write(text[:at+len(mark)-1]); err != nil { // up to and with the [
		return err
	}
	n := 0
	put := func(elem func(prefix string) error) error {
		if n > 0 {
			e.w.WriteString(",")
		}
		n++
		e.w.WriteString("\n" + keyIndent + "  ")
		return elem(keyIndent + "  ")
	}
	if err := items(put); err != nil {
		return err
	}
	if n > 0 {
		e.w.WriteString("\n" + keyIndent)
	}
	e.w.WriteString("]")
	_, err := e.w.Write(tail)
	return err
}
