package csvrecords

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestEach(t *testing.T) {
	text := "a,b\nc,d\"e\n\"f\ng\",h\ni,j\n"
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	var got []string
	err := Each(cr,
		func(rec []string, line int) error { got = append(got, fmt.Sprintf("%d:%q", line, rec)); return nil },
		func(line int, reason string) error {
			got = append(got, fmt.Sprintf("%d: bad: %s", line, reason))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	// The bare quote spoils line 2 only; a quoted field may hold a line
	// break (lines 3-4), and the record after it starts at line 5.
	want := []string{`1:["a" "b"]`, `2: bad: bare " in non-quoted-field`, `3:["f\ng" "h"]`, `5:["i" "j"]`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestEachStops(t *testing.T) {
	stop := errors.New("stop")
	rows := 0
	err := Each(csv.NewReader(strings.NewReader("a\nb\nc\n")),
		func([]string, int) error { rows++; return stop }, nil)
	if err != stop || rows != 1 {
		t.Errorf("row's error: %v after %d rows, want stop after 1", err, rows)
	}
	err = Each(csv.NewReader(strings.NewReader("a\n\"b\nc\n")),
		func([]string, int) error { return nil }, func(int, string) error { return stop })
	if err != stop {
		t.Errorf("bad's error: %v, want stop", err)
	}
	broken := io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(io.ErrUnexpectedEOF))
	rows = 0
	err = Each(csv.NewReader(broken), func([]string, int) error { rows++; return nil }, nil)
	var re *ReadError
	if !errors.As(err, &re) || !errors.Is(err, io.ErrUnexpectedEOF) || rows != 1 {
		t.Errorf("read error: %v after %d rows, want the reader's error after 1", err, rows)
	}
}
