package settle

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// The partner reports of examples/llama-hosts/reports settle to the
// figures its README works through by hand; the draft's four bad rows are
// the ones it lists.
func TestReportsExample(t *testing.T) {
	// The folder's files are read as they are named inside it, without
	// changing the working folder (nor writing anything).
	dir := workdir.Dir(filepath.Join("..", "..", "examples", "llama-hosts", "reports"))
	ag, err := agreement.LoadIn(dir, "agreement.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(os.DirFS(string(dir)), "*-2025-q1.*")
	if len(files) != 5 {
		t.Fatalf("reports: %q", files)
	}
	opts := Options{Agreement: ag, Periods: q("2025-Q1"), Files: workdir.Source{Dir: dir}}
	res, err := Run(opts, files)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, in := range res.Inputs {
		fmt.Fprintf(&b, "%s %s %d = %d + %d + %d\n", in.Path, in.Format, in.Rows, in.Settled, in.Outside, in.Rejected)
	}
	for _, s := range res.Settlements {
		fmt.Fprintf(&b, "%s gross=%s basis=%s share=%s payable=%s\n", s.Host.ID,
			s.Gross.StringFixed(2), s.Basis.StringFixed(2), s.Share.StringFixed(2), s.Payable.StringFixed(2))
	}
	fmt.Fprintf(&b, "total payable=%s\n", res.Totals.Payable.StringFixed(2))
	check(t, "reports", b.String(), `
aws-billing-events-2025-q1.csv aws-billing-events 14 = 12 + 2 + 0
azure-transactions-2025-q1.csv azure-partner-center 7 = 7 + 0 + 0
databricks-emea-2025-q1.csv databricks-emea 5 = 5 + 0 + 0
dell-financial-2025-q1.tsv dell-financial-report 9 = 9 + 0 + 0
groq-billing-2025-q1.csv groq-billing 6 = 6 + 0 + 0
aws gross=85280.40 basis=80170.40 share=11482.30 payable=11482.30
azure gross=100368.16 basis=84651.77 share=10514.74 payable=10514.74
databricks gross=65835.98 basis=50063.77 share=10337.84 payable=10337.84
dell gross=166090.00 basis=166090.00 share=8794.50 payable=8794.50
gcp gross=0.00 basis=0.00 share=0.00 payable=0.00
groq gross=44316.58 basis=41739.74 share=3992.88 payable=3992.88
nvidia gross=0.00 basis=0.00 share=0.00 payable=0.00
snowflake gross=0.00 basis=0.00 share=0.00 payable=0.00
total payable=45122.26
`)

	draft := []string{"snowflake-cortex-draft.csv"}
	_, err = Validate(opts, draft)
	check(t, "draft", fmt.Sprint(err)+"\n", `
snowflake-cortex-draft.csv:3: gross: invalid amount "5 310.75": unexpected ' '
snowflake-cortex-draft.csv:4: date: invalid date "2025-02-29" (want YYYY-MM-DD or an RFC 3339 timestamp)
snowflake-cortex-draft.csv:5: no terms of host snowflake cover 2024-Q4
snowflake-cortex-draft.csv:6: currency: no CHF rate on or before 2025-03-14
`)
	n := 0
	opts.Reject = func(ingest.BadRow) error { n++; return nil }
	res, err = Run(opts, append(files, draft...))
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 || res.Totals.Payable.StringFixed(2) != "46476.70" {
		t.Errorf("with rejects: %d rejected, payable %s; want 4 and 46476.70", n, res.Totals.Payable.StringFixed(2))
	}
}
