package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

const hostileAgreement = `schema: llamashare/v1
currency: USD
period: quarter
hosts:
  aws:
    terms:
      - from: 2025-01-01
        rates: [{rate: 10%}]
`

// TestHostileInputs: every hostile revenue file ends with exit 2, a
// message naming the file (and the line where there is one), at a bounded
// cost, and no output file.
//
// The cost is counted, not timed (a wall-clock limit fails on a loaded
// machine under -race): the bytes and allocations a run makes, beyond
// those of settling a one-row file (the reader's buffers, one set per
// worker), stay within 8 bytes per input byte plus 512 bytes and 8
// allocations per line. Keeping every problem of a file of bad rows instead
// of the first few costs about 500 bytes a row more and fails it, as does
// any work per row that grows with the rows seen.
func TestHostileInputs(t *testing.T) {
	header := "date,host,product,gross\n"
	row := "2025-01-05,aws,a,1.00\n"
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 200_000)
	for i := range garbage {
		garbage[i] = byte(rng.IntN(256))
	}
	u16 := utf16.Encode([]rune(header + row))
	le := []byte{0xFF, 0xFE}
	for _, c := range u16 {
		le = append(le, byte(c), byte(c>>8))
	}
	var allBad strings.Builder
	allBad.WriteString(header)
	for i := 0; i < 200_000; i++ {
		allBad.WriteString("2025-01-05,nobody,a,1.00\n")
	}
	cases := []struct {
		name, body string
		want       []string // regexps… kept simple: substrings of stderr
	}{
		{"long-line", header + row + "2025-01-05,aws," + strings.Repeat("x", 2<<20) + ",1\n", []string{"long-line.csv:3: record longer than 1 MiB"}},
		{"unterminated-quote", header + "2025-01-05,aws,\"a,1\n" + strings.Repeat(row, 100_000), []string{"unterminated-quote.csv:2: record longer than 1 MiB"}},
		{"nul-bytes", header + "2025-01-05,aws,a\x00,1\n", []string{"nul-bytes.csv:2: file holds NUL bytes"}},
		{"nul-late", header + strings.Repeat(row, 5000) + "2025-01-05,aws,a\x00b,1.00\n", []string{"nul-late.csv:5002: product: NUL byte in \"a\\x00b\""}},
		{"binary-garbage", string(garbage), []string{"binary-garbage.csv:"}},
		{"invalid-utf8", header + "2025-01-05,aws,\xff\xfe,1.00\n", []string{"invalid-utf8.csv:2: product: invalid UTF-8"}},
		{"utf16", string(le), []string{"utf16.csv: file is UTF-16; save it as UTF-8"}},
		{"empty", "", []string{"empty.csv: empty file: expected a header line"}},
		{"duplicate-header", "date,host,product,gross,gross\n" + row, []string{"duplicate-header.csv:1: duplicate column \"gross\""}},
		{"ragged", header + "2025-01-05,aws\n" + row, []string{"ragged.csv:2: row has 2 fields, the header has 4"}},
		{"all-bad", allBad.String(), []string{"all-bad.csv:2: host: unknown host \"nobody\"", "all-bad.csv:51: host:", "and 199950 more bad rows (200000 in all)"}},
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "agreement.yaml"), []byte(hostileAgreement), 0o644); err != nil {
		t.Fatal(err)
	}
	base := runCost(t, dir, "base", header+row, ExitOK)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".csv")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, c.name+".json")
			var stdout, stderr bytes.Buffer
			var code int
			got := measure(func() {
				code = Main([]string{"settle", "-a", filepath.Join(dir, "agreement.yaml"), "-o", "json", "--out", out, path},
					&IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr, WorkingDir: dir})
			})
			if code != ExitError {
				t.Errorf("exit %d, want 2; stderr:\n%s", code, stderr.String())
			}
			lines := uint64(strings.Count(c.body, "\n") + 1)
			if limit := base.bytes + 8*uint64(len(c.body)) + 512*lines; got.bytes > limit {
				t.Errorf("allocated %d bytes, more than %d (%d bytes, %d lines)", got.bytes, limit, len(c.body), lines)
			}
			if limit := base.allocs + 8*lines; got.allocs > limit {
				t.Errorf("made %d allocations, more than %d (%d lines)", got.allocs, limit, lines)
			}
			msg := strings.ReplaceAll(stderr.String(), dir+string(filepath.Separator), "")
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr lacks %q:\n%.2000s", w, msg)
				}
			}
			if strings.Count(msg, "\n") > 60 {
				t.Errorf("stderr has %d lines; the first 50 problems and a count are enough", strings.Count(msg, "\n"))
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was written by a failing run", out)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
}

// cost is what a run allocated: bytes and allocations (runtime.MemStats'
// TotalAlloc and Mallocs, which count every allocation whatever the load
// or the collector did meanwhile).
type cost struct{ bytes, allocs uint64 }

func measure(run func()) cost {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	run()
	runtime.ReadMemStats(&after)
	return cost{after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs}
}

// runCost settles body (a file named name.csv in dir) and returns what it
// cost, failing unless it exits with want.
func runCost(t *testing.T, dir, name, body string, want int) cost {
	t.Helper()
	path := filepath.Join(dir, name+".csv")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	var code int
	c := measure(func() {
		code = Main([]string{"settle", "-a", filepath.Join(dir, "agreement.yaml"), "-o", "json", path},
			&IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr, WorkingDir: dir})
	})
	if code != want {
		t.Fatalf("%s: exit %d, want %d; stderr:\n%s", name, code, want, stderr.String())
	}
	return c
}
