package report

import (
	"bufio"
	"bytes"
	"runtime"
	"sync"
)

// With a thousand hosts a document has thousands of settlements (13 MB
// of JSON for 1000 hosts and four quarters), each encoded through
// encoding/json's reflection: a fifth of such a run's time after the
// settling, on one core. Each settlement's text depends on nothing but
// itself and its indent, so the text of the next few settlements is made
// side by side, one goroutine per core, and written in order: the same
// bytes. The batch grows while its texts are small and shrinks when they
// are large (a settlement with 100k share lines is megabytes), so what is
// held at once stays near parBytes; a document of few settlements is
// written as before, one after the other.

// Variables for tests.
var (
	parFrom  = 64      // the settlements of a document from which they are made side by side
	parBytes = 4 << 20 // the texts of a batch held at once, about
)

// settlementsPrefix is the indent of a document's settlements.
const settlementsPrefix = "    "

// settlementTexter makes settlement texts into its own buffer.
type settlementTexter struct {
	e   splicer
	buf bytes.Buffer
}

// text returns settlement i of s indented under prefix, as WriteJSONStream
// writes it; valid until the next call.
func (t *settlementTexter) text(s *Stream, i int, prefix string) ([]byte, error) {
	t.buf.Reset()
	if t.e.w == nil {
		t.e.w = bufio.NewWriterSize(&t.buf, 64<<10)
	}
	if err := writeSettlement(&t.e, s, i, prefix); err != nil {
		return nil, err
	}
	if err := t.e.w.Flush(); err != nil {
		return nil, err
	}
	return t.buf.Bytes(), nil
}

// writeSettlement writes settlement i of s, its lines spliced in, with e.
func writeSettlement(e *splicer, s *Stream, i int, prefix string) error {
	st := s.At(i)
	st.Lines = []Line{}
	var ok bool
	if e.head, ok = appendSettlementHead(e.head[:0], &st, prefix); ok {
		// As splice writes it, without encoding/json.
		if _, err := e.w.Write(e.head); err != nil {
			return err
		}
		in, n := prefix+"    ", 0
		err := s.Lines(i, func(l *Line) error {
			if n > 0 {
				e.w.WriteString(",")
			}
			n++
			e.w.WriteString("\n" + in)
			return e.encodeLine(l, in)
		})
		if err != nil {
			return err
		}
		if n > 0 {
			e.w.WriteString("\n" + prefix + "  ")
		}
		_, err = e.w.WriteString("]\n" + prefix + "}")
		return err
	}
	return e.splice(&st, prefix, "lines", func(put func(func(string) error) error) error {
		return s.Lines(i, func(l *Line) error {
			return put(func(prefix string) error { return e.encodeLine(l, prefix) })
		})
	})
}

// eachSettlementText calls emit with the text of each settlement of s in
// order, made side by side in batches.
func eachSettlementText(s *Stream, prefix string, emit func([]byte) error) error {
	workers := runtime.GOMAXPROCS(0)
	texters := make([]settlementTexter, workers)
	var texts [][]byte
	batch := workers
	for lo := 0; lo < s.Len; {
		hi := min(s.Len, lo+batch)
		if cap(texts) < hi-lo {
			texts = make([][]byte, hi-lo)
		}
		texts = texts[:hi-lo]
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for k := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := lo + k; i < hi; i += workers {
					text, err := texters[k].text(s, i, prefix)
					if err != nil {
						errs[k] = err
						return
					}
					texts[i-lo] = append(texts[i-lo][:0], text...)
				}
			}()
		}
		wg.Wait()
		size := 0
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		for j, t := range texts {
			size += len(t)
			if err := emit(t); err != nil {
				return err
			}
			if cap(t) > parBytes/4 {
				texts[j] = nil // a large one is not kept
			}
		}
		lo = hi
		switch {
		case size < parBytes/2 && batch < 1024:
			batch *= 2
		case size > parBytes && batch > workers:
			batch /= 2
		}
	}
	return nil
}
