package cli_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/cli"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the golden files in testdata/golden")

// runInProcess runs llamashare with args in this process, with empty
// stdin, no environment (so no config file or LLAMASHARE_* setting applies)
// and the test's folder as the working folder.
func runInProcess(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	streams := &cli.IOStreams{
		In:         strings.NewReader(""),
		Out:        &out,
		ErrOut:     &errOut,
		Getenv:     func(string) string { return "" },
		WorkingDir: wd,
	}
	code = cli.Main(args, streams)
	return code, out.String(), errOut.String()
}

// TestGoldenLlamaHosts settles the shipped example (eight hosts, 2025 Q1
// and Q2) and compares the JSON with testdata/golden/llama-hosts.json.
// `go test ./pkg/cli -run TestGolden -update-golden` rewrites the file;
// review the difference before committing it.
func TestGoldenLlamaHosts(t *testing.T) {
	const ex = "../../examples/llama-hosts/"
	golden := filepath.Join("..", "..", "testdata", "golden", "llama-hosts.json")
	code, stdout, stderr := runInProcess(t, "settle", "-o", "json",
		"-a", ex+"agreement.yaml", ex+"2025-q1.csv", ex+"2025-q2.csv")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	wantErr := ex + "2025-q1.csv: 300 rows = 300 settled + 0 outside + 0 rejected\n" +
		ex + "2025-q2.csv: 300 rows = 300 settled + 0 outside + 0 rejected\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-golden to create it)", err)
	}
	if stdout != string(want) {
		t.Errorf("settle -o json differs from %s (run with -update-golden to rewrite it after review):\n%s",
			golden, firstDiff(string(want), stdout))
	}

	// Same inputs give the same bytes, every run.
	_, again, _ := runInProcess(t, "settle", "-o", "json",
		"-a", ex+"agreement.yaml", ex+"2025-q1.csv", ex+"2025-q2.csv")
	if again != stdout {
		t.Errorf("a second run gave different bytes:\n%s", firstDiff(stdout, again))
	}
}

// firstDiff describes the first line where want and got differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(no difference)"
}

// TestProvenanceHashes: the JSON's sha256 of the agreement and of every
// input is the digest of the file's bytes as stored (what sha256sum
// prints), also for a gzipped input and for standard input.
func TestProvenanceHashes(t *testing.T) {
	dir := t.TempDir()
	ag := filepath.Join(dir, "agreement.yaml")
	csvText := "date,host,product,gross\n2025-01-05,aws,a,10.00\n"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(ag, []byte("schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nhosts:\n  aws:\n    terms:\n      - from: 2025-01-01\n        rates: [{rate: 10%}]\n"), 0o644))
	plain := filepath.Join(dir, "q1.csv")
	must(os.WriteFile(plain, []byte(csvText), 0o644))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(csvText))
	must(zw.Close())
	zipped := filepath.Join(dir, "q1b.csv.gz")
	must(os.WriteFile(zipped, gz.Bytes(), 0o644))

	code, stdout, stderr := runInProcess(t, "settle", "-o", "json", "-a", ag, plain, zipped)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Agreement struct{ SHA256 string }
		Inputs    []struct{ Path, SHA256 string }
	}
	must(json.Unmarshal([]byte(stdout), &doc))
	sum := func(path string) string {
		data, err := os.ReadFile(path)
		must(err)
		h := sha256.Sum256(data)
		return hex.EncodeToString(h[:])
	}
	if doc.Agreement.SHA256 != sum(ag) {
		t.Errorf("agreement sha256 %s, want %s", doc.Agreement.SHA256, sum(ag))
	}
	for i, path := range []string{plain, zipped} {
		if doc.Inputs[i].SHA256 != sum(path) {
			t.Errorf("%s: sha256 %s, want %s", path, doc.Inputs[i].SHA256, sum(path))
		}
	}
}
