package money

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// moneyPaths are the packages an amount passes through, from the files
// read to the outputs written: none of their code may hold a float.
var moneyPaths = []string{"money", "agreement", "ingest", "fx", "settle", "report", "payments", "balance"}

// floatAllowed are the float uses of those packages that touch no
// amount: the file, a text on the line, and why.
var floatAllowed = []struct{ file, line, why string }{
	// excelize takes a column's width (in characters) as a float64. The
	// amounts in cells are written from the decimal's exact text
	// (xlsx.go, cellValue), never through a float.
	{"report/xlsx.go", "SetColWidth(", "a column width, not an amount"},
	// A Parquet FLOAT/DOUBLE amount is binary already: it is written once
	// as the shortest decimal text that round-trips to it (what the
	// producer printed, SPEC 11) and read from that text as a decimal; it
	// is never computed with.
	// The file is that one function and the fast path of it (parquet_float.go
	// says why the fast path writes what strconv would; a test checks it).
	{"ingest/parquet_float.go", "", "a Parquet DOUBLE written as its shortest decimal text"},
}

// floatIdents are identifiers that mean a float: the types, strconv's
// float functions, and the float doors of shopspring/decimal.
var floatIdents = map[string]bool{
	"float32": true, "float64": true, "complex64": true, "complex128": true,
	"ParseFloat": true, "FormatFloat": true, "AppendFloat": true,
	"NewFromFloat": true, "NewFromFloat32": true, "NewFromFloatWithExponent": true,
	"InexactFloat64": true, "Float64": true, "NewFloat": true, "ParseFloat64": true,
}

// TestNoFloatInMoneyPaths reads every non-test Go file of the money-path
// packages and fails on any float: a float type or conversion, a float
// function of strconv, math or math/big, decimal's float constructors and
// accessors, or a floating-point literal (`x := 0.5` is a float64 without
// saying so). Comments and strings do not count. Each find is reported as
// file:line.
func TestNoFloatInMoneyPaths(t *testing.T) {
	files := 0
	for _, pkg := range moneyPaths {
		dir := filepath.Join("..", pkg)
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			files++
			rel := pkg + "/" + name
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range floatsIn(src) {
				if allowedFloat(rel, f.text) {
					continue
				}
				t.Errorf("pkg/%s:%d: %s: money paths hold no float (%s)", rel, f.line, f.what, strings.TrimSpace(f.text))
			}
		}
	}
	if files < 20 {
		t.Fatalf("scanned only %d files: is the test running in pkg/money?", files)
	}
}

func allowedFloat(file, line string) bool {
	for _, a := range floatAllowed {
		if a.file == file && strings.Contains(line, a.line) {
			return true
		}
	}
	return false
}

type floatUse struct {
	line int
	what string
	text string // the source line
}

// floatsIn scans Go source for floats, token by token.
func floatsIn(src []byte) []floatUse {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0) // comments skipped
	lines := strings.Split(string(src), "\n")
	var out []floatUse
	var prev, prev2 string // the two tokens before, as text
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		text := lit
		if text == "" {
			text = tok.String()
		}
		what := ""
		switch {
		case tok == token.FLOAT || tok == token.IMAG:
			what = fmt.Sprintf("floating-point literal %s", lit)
		case tok == token.IDENT && floatIdents[lit]:
			what = lit
		case tok == token.IDENT && prev == "." && prev2 == "big" && lit == "Float":
			what = "big." + lit
		case tok == token.IDENT && prev == "." && prev2 == "math" && !strings.HasPrefix(lit, "Max") && !strings.HasPrefix(lit, "Min"):
			what = "math." + lit
		}
		if what != "" {
			line := file.Line(pos)
			out = append(out, floatUse{line: line, what: what, text: lines[line-1]})
		}
		prev2, prev = prev, text
	}
	return out
}

// TestFloatsIn checks the scanner on the forms it must find and the ones
// it must not.
func TestFloatsIn(t *testing.T) {
	src := `package x
// float64 in a comment, 0.5 too
var a float64
var b = strconv.ParseFloat
var c = d.InexactFloat64()
var e = 0.5
var f = math.Round
var g = math.MaxInt64
var h = new(big.Float)
var i = "float64 and 1.5 in a string"
var j = decimal.NewFromFloat(1)
`
	var got []string
	for _, f := range floatsIn([]byte(src)) {
		got = append(got, fmt.Sprintf("%d:%s", f.line, f.what))
	}
	want := "3:float64 4:ParseFloat 5:InexactFloat64 6:floating-point literal 0.5 7:math.Round 9:big.Float 11:NewFromFloat"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}
