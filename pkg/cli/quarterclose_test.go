package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The balances fixture's ledger (examples/quarter-close/balances/ledger)
// is the one the README's steps 1 and 4 write, byte for byte: the README's
// balances table and the fixture describe the same issued statements.
func TestQuarterCloseLedgerIsTheWalkthroughs(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	example := filepath.Join(repo, "examples", "quarter-close")
	if err := copyTree(example, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "ledger")); err != nil { // a walkthrough run in the example itself
		t.Fatal(err)
	}
	back, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(back)
	glob := func(p string) []string { m, _ := filepath.Glob(p); return m }
	late := []string{"late/aws-2025-q1-late.csv", "late/azure-2025-q1-corrected.csv",
		"--replace", "2025-q1-azure.csv=late/azure-2025-q1-corrected.csv"}
	for _, args := range [][]string{
		append([]string{"close", "-p", "2025-Q1", "--ledger", "ledger", "--on", "2025-04-03"}, glob("2025-q1-*.csv")...),
		append(append([]string{"close", "-p", "2025-Q2", "--ledger", "ledger", "--on", "2025-07-02"}, glob("2025-q2-*.csv")...), late...),
	} {
		var out, errOut bytes.Buffer
		streams := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, WorkingDir: dir}
		if code := Main(args, streams); code != ExitOK {
			t.Fatalf("%q exited %d: %s", args, code, errOut.String())
		}
	}
	for _, name := range []string{"2025-Q1.json", "2025-Q2.json"} {
		got, err := os.ReadFile(filepath.Join(dir, "ledger", name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(example, "balances", "ledger", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("examples/quarter-close/balances/ledger/%s differs from what the README's close commands write; copy ledger/%s there (and re-run check --update on the balances fixture)", name, name)
		}
	}
}
