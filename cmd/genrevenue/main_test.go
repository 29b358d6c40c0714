package main

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
)

func gen(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("run %v: exit %d: %s", args, code, errb.String())
	}
	return out.Bytes()
}

func TestSameSeedSameBytes(t *testing.T) {
	for _, args := range [][]string{
		{"-rows", "500"},
		{"-rows", "500", "-seed", "42", "-currencies", "USD=80,EUR=10,GBP=5,JPY=5"},
		{"-rows", "50", "-from", "2025-04-01", "-to", "2025-06-30", "-hosts", "aws,groq=3", "-region", "us-east-1"},
	} {
		a, b := gen(t, args...), gen(t, args...)
		if !bytes.Equal(a, b) {
			t.Errorf("%v: two runs differ", args)
		}
	}
	if bytes.Equal(gen(t, "-seed", "1"), gen(t, "-seed", "2")) {
		t.Error("seeds 1 and 2 give the same bytes")
	}
}

var (
	amount2 = regexp.MustCompile(`^\d+\.\d\d$`)
	amount0 = regexp.MustCompile(`^\d+$`)
	date    = regexp.MustCompile(`^2025-0[1-3]-\d\d$`)
)

func TestEveryLineHas11Fields(t *testing.T) {
	out := gen(t, "-rows", "2000", "-seed", "9", "-currencies", "USD=80,EUR=10,GBP=5,JPY=5", "-alias-rate", "0.5")
	if !bytes.HasSuffix(out, []byte("\n")) {
		t.Fatal("output does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2001 {
		t.Fatalf("got %d lines, want 2001", len(lines))
	}
	if lines[0] != header {
		t.Errorf("header = %q", lines[0])
	}
	// The output must also be plain CSV (no quoting needed).
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	aliasSeen, jpySeen := false, false
	prevDate := ""
	for i, line := range lines {
		f := strings.Split(line, ",")
		if len(f) != 11 || len(recs[i]) != 11 {
			t.Fatalf("line %d has %d fields: %q", i+1, len(f), line)
		}
		if i == 0 {
			continue
		}
		if !date.MatchString(f[0]) || f[0] < prevDate {
			t.Errorf("line %d: date %q out of range or order", i+1, f[0])
		}
		prevDate = f[0]
		if f[1] != strings.ToLower(f[1]) {
			aliasSeen = true
		}
		re := amount2
		if f[4] == "JPY" {
			re, jpySeen = amount0, true
		}
		for _, a := range f[5:10] {
			if !re.MatchString(a) {
				t.Errorf("line %d: amount %q for %s", i+1, a, f[4])
			}
		}
		if !amount0.MatchString(f[10]) {
			t.Errorf("line %d: units %q", i+1, f[10])
		}
	}
	if !aliasSeen {
		t.Error("no row uses a host alias")
	}
	if !jpySeen {
		t.Error("no JPY row")
	}
}

func TestAppendMinor(t *testing.T) {
	for _, c := range []struct {
		v     int64
		scale int
		want  string
	}{
		{0, 2, "0.00"}, {5, 2, "0.05"}, {123456, 2, "1234.56"}, {-7, 2, "-0.07"},
		{100, 2, "1.00"}, {42, 0, "42"}, {1, 3, "0.001"},
	} {
		if got := string(appendMinor(nil, c.v, c.scale)); got != c.want {
			t.Errorf("appendMinor(%d, %d) = %q, want %q", c.v, c.scale, got, c.want)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-currencies", "XYZ"},
		{"-from", "2025-13-01"},
		{"-from", "2025-02-01", "-to", "2025-01-01"},
		{"-hosts", "aws=x"},
		{"-nope"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
func TestDistinctProducts(t *testing.T) {
	out := gen(t, "-rows", "20000", "-seed", "3", "-products", "1000")
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		if !strings.HasPrefix(r[2], "llama-") || !strings.Contains(r[2], "-v") {
			t.Fatalf("product %q is not a numbered variant", r[2])
		}
		seen[r[2]] = true
	}
	if len(seen) < 990 || len(seen) > 1000 {
		t.Errorf("%d distinct products, want about 1000", len(seen))
	}
	if !bytes.Equal(gen(t, "-rows", "300"), gen(t, "-rows", "300", "-products", "0")) {
		t.Error("-products 0 changed the default output")
	}
}
