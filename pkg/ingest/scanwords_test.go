package ingest

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestScanWordsEqualsScan: on any line (fields drawn from amounts of every
// shape, keys, quotes, line ends and stray bytes, at any offset of the data
// and with anything after it), scanWords either refuses or reads exactly
// what scan reads: the same line end, field bounds and figures.
func TestScanWordsEqualsScan(t *testing.T) {
	ag := testAgreementForBench(t)
	amounts := []string{"0.00", "310.30", "22957.91", "123456.78", "-5.00", "1349805000", "135136876000", "12", "7", "1234567890123", ".5", "5.", "1.234", "1.2345678", "1,234.56", " 1.00", "1.00 ", "", "0", "00000000000.01", "1.00\r",
		"9999999999999", "99999999.99", "1e5", "+1.00", "123456789012", "12345678901.5", "1234567.89", "12345678.9"}
	pieces := append([]string{"", "", "", "aws", "AWS", "llama-3.1-8b-instruct", "us-east", "USD", "EUR", "2025-01-01", "x", "\"q\"", "\"", "a\"b", "\"aws\"", "\"\"", "\"a,b\"", "\"a;b\"", "\"a\rb\"", "\"a\"\"b\"", "\"x", "x\"", "\"1.00\"", "\"USD\"\r", "\r", "é", "\xff",
		"١٢"}, amounts...)
	for _, try := range []struct {
		delim  byte
		header string
	}{{',', benchHeader}, {';', benchHeader}, {'\t', benchHeader}, {',', "date,host,product,gross"}} {
		delim := try.delim
		l := canonicalLayout(rune(delim))
		if delim == ';' {
			l.decimal = ','
		}
		d, _, _, _ := newDecoder(ag, l, strings.Split(try.header, ","))
		f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
		a, b := newWorker(f), newWorker(f)
		read, quoted := 0, 0
		rapid.Check(t, func(rt *rapid.T) {
			nf := d.nf
			if rapid.IntRange(0, 3).Draw(rt, "ragged") == 0 {
				nf += rapid.IntRange(-2, 2).Draw(rt, "extra")
			}
			fields := make([]string, max(nf, 1))
			for i := range fields {
				from := pieces
				if i < len(a.prog) && a.prog[i] >= 0 {
					from = amounts
					if rapid.IntRange(0, 19).Draw(rt, "odd") > 0 {
						from = amounts[:9] // good ones
					}
				}
				fields[i] = rapid.SampledFrom(from).Draw(rt, "field")
				if delim == ';' {
					fields[i] = swapSeps(fields[i])
				}
				if rapid.IntRange(0, 9).Draw(rt, "long") == 0 {
					fields[i] += strings.Repeat("9", rapid.IntRange(1, 80).Draw(rt, "more"))
				}
			}
			// Bytes before the line (any, as in a block: a window of the
			// bitmaps may start anywhere) and after it.
			n := rapid.IntRange(0, 7000).Draw(rt, "pre")
			pre := strings.Repeat("z,\n", n/3+1)[:n]
			end := rapid.SampledFrom([]string{"\n", "\r\n", "", "\n2025-01-01,aws", "\n" + strings.Repeat("1,", 20)}).Draw(rt, "end")
			all := []byte(pre + strings.Join(fields, string(delim)) + end)
			p := len(pre)
			data := all[p:]
			q := strings.IndexByte(string(data), '"')
			var fa, fb [6]int64
			a.masks.reset(all, delim)
			endA, okA := a.scanWords(all, p, q, &fa)
			if !okA {
				return
			}
			endB, okB := b.scan(data, q, &fb)
			if !okB || endA != endB || fa != fb || a.starts != b.starts || a.ends != b.ends {
				rt.Fatalf("%q: scanWords = %d, %v, %v, %v-%v; scan = %d, %v, %v, %v-%v", data, endA, okA, fa, a.starts[:nf], a.ends[:nf], endB, okB, fb, b.starts[:nf], b.ends[:nf])
			}
			read++
			if strings.Contains(string(data[:endA]), `"`) {
				quoted++
			}
		})
		if read == 0 {
			t.Errorf("delimiter %q: scanWords read only %d lines, %d with quotes", delim, read, quoted)
		}
		t.Logf("delimiter %q: scanWords read %d lines, %d with quotes", delim, read, quoted)
	}
}

func swapSeps(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return ','
		case ',':
			return '.'
		}
		return r
	}, s)
}

// TestScanWordsQuoted: a line whose quotes each wrap a whole text field is
// read by scanWords, as scan reads it (the field inside its quotes); any
// other quote is left to scan.
func TestScanWordsQuoted(t *testing.T) {
	ag := testAgreementForBench(t)
	d, _, _, _ := newDecoder(ag, canonicalLayout(','), []string{"date", "host", "product", "gross"})
	f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
	a, b := newWorker(f), newWorker(f)
	for _, c := range []struct {
		line string
		read bool
	}{
		{"2025-01-01,\"aws\",\"llama-3\",12.50\n", true},
		{"\"2025-01-01\",aws,\"\",7\r\n", true},
		{"2025-01-01,aws,\"a\"\"b\",1.00\n", false},
		{"2025-01-01,aws,\"a,b\",1.00\n", false},
		{"2025-01-01,aws,\"a\rb\",1.00\n", false},
		{"2025-01-01,aws,a\"b,1.00\n", false},
		{"2025-01-01,aws,x,\"1.00\"\n", false},
	} {
		data := []byte(c.line)
		q := strings.IndexByte(c.line, '"')
		var fa, fb [6]int64
		a.masks.reset(data, ',')
		endA, okA := a.scanWords(data, 0, q, &fa)
		if okA != c.read {
			t.Errorf("%q: scanWords read it: %v, want %v", c.line, okA, c.read)
			continue
		}
		if !okA {
			continue
		}
		endB, okB := b.scan(data, q, &fb)
		if !okB || endA != endB || fa != fb || a.starts != b.starts || a.ends != b.ends {
			t.Errorf("%q: scanWords %d %v %v-%v, scan %d %v %v-%v", c.line, endA, fa, a.starts[:4], a.ends[:4], endB, fb, b.starts[:4], b.ends[:4])
		}
	}
}

// TestScanWordsShortLine: a line shorter than a word at the very end of
// the data (a fuzzed crash: an amount's word was read before the data).
func TestScanWordsShortLine(t *testing.T) {
	ag := testAgreementForBench(t)
	d, _, _, _ := newDecoder(ag, canonicalLayout(','), []string{"date", "host", "product", "gross"})
	f := newFast(d, Options{Aggregate: &Aggregator{Classify: func(*Key) Verdict { return Keep }}})
	w := newWorker(f)
	for _, line := range []string{",,,7\n", ",,,12\n", "a,b,c,1.5\n", ",,,.5\n"} {
		data := []byte(line)
		var fig [6]int64
		w.masks.reset(data, ',')
		end, ok := w.scanWords(data, 0, -1, &fig)
		var want [6]int64
		wend, wok := w.scan(data, -1, &want)
		if ok && (end != wend || !wok || fig != want) {
			t.Errorf("%q: scanWords %d %v %v, scan %d %v %v", line, end, ok, fig, wend, wok, want)
		}
	}
}
