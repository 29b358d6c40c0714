package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"testing"
)

// TestUnknownHostsNotRemembered: millions of rows with distinct unknown
// hosts (each a bad row, streamed to --rejects) used 1 GB because the fast
// path cached every spelling; it now remembers a bounded number.
func TestUnknownHostsNotRemembered(t *testing.T) {
	ag := testAgreementForBench(t)
	l := canonicalLayout(',')
	d, _, _, _ := newDecoder(ag, l, splitAll([]byte(benchHeader), ','))
	f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
	w := newWorker(f)
	var data bytes.Buffer
	for i := 0; i < 3*maxUnknownKept; i++ {
		fmt.Fprintf(&data, "2025-01-02,nohost-%d,llama,us,USD,1.00,0,0,0,0,1\n", i)
	}
	data.WriteString("2025-01-02,aws,llama,us,USD,1.00,0,0,0,0,1\n")
	w.block(&job{data: data.Bytes()})
	if n := w.hosts.n; n > maxUnknownKept+1 {
		t.Errorf("the fast path remembers %d host spellings, want at most %d", n, maxUnknownKept+1)
	}
	if _, ok := w.hosts.get([]byte("aws")); !ok {
		t.Errorf("a known host is no longer cached")
	}
}

// growing is a report that grows once it has been read to its end, like a
// file appended to while llamashare reads it.
type growing struct {
	parts [][]byte
}

func (g *growing) Read(b []byte) (int, error) {
	if len(g.parts[0]) == 0 {
		if len(g.parts) == 1 {
			return 0, io.EOF
		}
		g.parts = g.parts[1:]
		return 0, io.EOF // the end, as of now; the next part arrives after
	}
	n := copy(b, g.parts[0])
	g.parts[0] = g.parts[0][n:]
	return n, nil
}

// TestHashIsOfParsedBytes: the sha256 recorded is of the bytes settled,
// not of rows appended after the reader reached the end.
func TestHashIsOfParsedBytes(t *testing.T) {
	ag := testAgreementForBench(t)
	first := benchHeader + "\n2025-01-02,aws,llama,us,USD,1.00,0,0,0,0,1\n"
	late := "2025-01-03,aws,llama,us,USD,99.00,0,0,0,0,1\n"
	for _, fast := range []bool{false, true} {
		opts := Options{Agreement: ag, Stdin: &growing{parts: [][]byte{[]byte(first), []byte(late)}}}
		if fast {
			opts.Aggregate = &Aggregator{Classify: func(*Key) Verdict { return Keep }, Group: func(*Group) {}}
		}
		in, err := ReadFile("-", opts, func(*Row) error { return nil }, func(BadRow) {})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(first))
		if want := hex.EncodeToString(sum[:]); in.SHA256 != want || in.Rows != 1 {
			t.Errorf("fast=%v: %d rows, sha256 %s; want 1 row, the sha256 of what was read, %s", fast, in.Rows, in.SHA256, want)
		}
	}
}

// TestManyCurrencies: a cell numbers a worker's currencies in 8 bits, two
// values of which mean the settlement currency and ignored rows. A file in
// more currencies than that (bogus three-letter codes, say) must keep every
// row in its own currency, the surplus read by the general decoder.
func TestManyCurrencies(t *testing.T) {
	ag := testAgreementForBench(t)
	var data bytes.Buffer
	data.WriteString(benchHeader + "\n")
	for i := 0; i < 3*26*26; i += 7 {
		code := string([]byte{'Q' + byte(i/676), 'A' + byte(i/26%26), 'A' + byte(i%26)})
		fmt.Fprintf(&data, "2025-01-02,aws,llama,us,%s,%d.25,0,0,0,0,1\n", code, i)
	}
	sums := func(aggregate bool) map[string]string {
		got := map[string]string{}
		opts := Options{Agreement: ag, Stdin: bytes.NewReader(data.Bytes()), BlockSize: 4096}
		if aggregate {
			opts.Aggregate = &Aggregator{Classify: func(*Key) Verdict { return Keep }, Group: func(g *Group) {
				got[g.Currency] += g.Gross().String() + ";"
			}}
		}
		_, err := ReadFile("-", opts, func(r *Row) error {
			got[r.Currency] += r.Gross.String() + ";"
			return nil
		}, func(b BadRow) { t.Errorf("bad row %d: %s", b.Line, b.Reason) })
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	slow, fast := sums(false), sums(true)
	if len(slow) < 256 || fmt.Sprint(slow) != fmt.Sprint(fast) {
		t.Errorf("%d currencies row by row, %d on the fast path:\n%v\n%v", len(slow), len(fast), slow, fast)
	}
}

// asyncHash is the SHA-256 of the bytes written, whatever their pieces.
func TestAsyncHash(t *testing.T) {
	data := make([]byte, 5*hashChunk+123)
	for i := range data {
		data[i] = byte(i * 7)
	}
	want := sha256.Sum256(data)
	for _, piece := range []int{1, 4096, hashChunk - 1, 3 * hashChunk, len(data)} {
		a := newAsyncHash()
		for p := data; len(p) > 0; {
			k := min(piece, len(p))
			if n, err := a.Write(p[:k]); n != k || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
			p = p[k:]
		}
		if got := a.Sum(); !bytes.Equal(got, want[:]) {
			t.Errorf("pieces of %d: sha256 %x, want %x", piece, got, want)
		}
		a.close() // after Sum: does nothing
	}
	newAsyncHash().close() // never summed: the goroutine ends
}
