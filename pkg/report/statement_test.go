package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update-report-golden", false, "rewrite the golden files in testdata/statement/want and testdata/markdown")

// statementFixture settles testdata/statement: a host with tiers, a per-unit
// rule, de minimis, a minimum, a cap, an advance and a name full of
// markup characters, and a host whose share stays below the threshold.
func statementFixture(t *testing.T) []*Statement {
	t.Helper()
	const dir = "testdata/statement/"
	res := settleFiles(t, dir+"agreement.yaml", dir+"revenue.csv")
	return BuildStatements(res, "test")
}

// TestStatementGolden compares every rendered statement with its golden
// file; `go test ./pkg/report -run TestStatementGolden -update-report-golden`
// rewrites them (look at the difference, and at the HTML in a browser,
// before committing).
func TestStatementGolden(t *testing.T) {
	files, err := RenderStatements(statementFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		checkGolden(t, filepath.Join("testdata", "statement", "want", filepath.FromSlash(f.Name)), f.Data)
	}
	wantNames := "2025-Q1/acme.html 2025-Q1/acme.md 2025-Q1/small.html 2025-Q1/small.md"
	if got := strings.Join(names, " "); got != wantNames {
		t.Errorf("files %s, want %s", got, wantNames)
	}

	// Rendering again gives the same bytes.
	again, err := RenderStatements(statementFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		if !bytes.Equal(files[i].Data, again[i].Data) {
			t.Errorf("%s: two renderings differ", files[i].Name)
		}
	}
}

func TestStatementContent(t *testing.T) {
	sts := statementFixture(t)
	acme, small := sts[0], sts[1]
	var h, m bytes.Buffer
	if err := WriteStatementHTML(&h, acme); err != nil {
		t.Fatal(err)
	}
	if err := WriteStatementMarkdown(&m, acme); err != nil {
		t.Fatal(err)
	}
	html, md := h.String(), m.String()
	for _, want := range []string{
		"Meta Platforms, Inc.",                         // licensor
		"Acme &lt;Cloud&gt; &amp; Sons | &#34;AI&#34;", // host name, escaped
		"acme",
		"2025-Q1", "2025-01-01", "2025-03-31",
		"Llama host revenue share &lt;2025&gt; &amp; co", // agreement name, escaped
		acme.AgreementSHA256,
		"1: up to 100,000", "2: above 100,000", "10%", "15%", "0.02 per 1,000,000 units", "12.5%",
		"below de minimis 1,000: no share",
		"Minimum top-up", "Cap reduction", "Advance recouped", ">10,000.00<", "Advance remaining",
		"subtracted: advance of",
		"Carried in", "Carried out",
		"USD 2,560.00", "2025-05-15",
		"@page", "@media print",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if len(acme.AgreementSHA256) != 64 {
		t.Errorf("agreement sha256 %q", acme.AgreementSHA256)
	}
	// Self-contained and escaped: no external resource, no raw markup
	// from the agreement's values.
	for _, bad := range []string{"<Cloud>", "<2025>", "http://", "https://", "src=", "<link", "<script", "url(", "@import"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, want := range []string{
		"# Revenue share statement 2025-Q1: Acme \\<Cloud\\> & Sons \\| \"AI\"",
		"**Licensor:** Meta Platforms, Inc.",
		"**Amount payable:** USD 2,560.00, due 2025-05-15",
		"`" + acme.AgreementSHA256 + "`",
		"| frontier  | all products ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}

	// Nothing payable: the carried amount instead of a due date.
	if small.Paid || small.DueDate != "" || small.CarriedOut != "50.00" {
		t.Errorf("small: paid %v, due %q, carried out %q", small.Paid, small.DueDate, small.CarriedOut)
	}
	h.Reset()
	if err := WriteStatementHTML(&h, small); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), "Nothing payable; carried forward USD 50.00") {
		t.Errorf("small: HTML lacks the carried-forward line")
	}
}

func TestMarkdownEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":         "plain text",
		"a|b":                `a\|b`,
		"<b>x</b>":           `\<b\>x\</b\>`,
		"llama_3*":           `llama\_3\*`,
		"AT&T & co":          `AT\&T & co`,
		"&amp; &#38;":        `\&amp; \&\#38;`,
		"two\nlines":         "two lines",
		"[link](http://x)":   `\[link\](http://x)`,
		"`code` # heading ~": "\\`code\\` \\# heading \\~",
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriteStatementFiles writes into a fresh folder, creating the period
// folders, and replaces what is there.
func TestWriteStatementFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files := []StatementFile{{"2025-Q1/a.md", []byte("one")}, {"2025-Q2/a.md", []byte("two")}}
	if err := WriteStatementFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	files[0].Data = []byte("three")
	if err := WriteStatementFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"2025-Q1/a.md": "three", "2025-Q2/a.md": "two"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
}

// TestWriteStatementFilesAllOrNothing fails on the last file: no file is
// written or changed, and the folders the call created are gone.
func TestWriteStatementFilesAllOrNothing(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "blocker"), []byte("a file, not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "out")
	files := []StatementFile{{"2025-Q1/a.md", []byte("one")}, {"2025-Q2/a.md", []byte("two")}}
	if err := WriteStatementFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	files = []StatementFile{{"2025-Q1/a.md", []byte("changed")}, {"2025-Q3/a.md", []byte("new")}, {"../blocker/x.md", []byte("fails")}}
	if err := WriteStatementFiles(dir, files); err == nil {
		t.Fatal("writing under a file succeeded")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "2025-Q1", "a.md")); string(got) != "one" {
		t.Errorf("2025-Q1/a.md = %q after a failed run, want it unchanged", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "2025-Q3")); !os.IsNotExist(err) {
		t.Errorf("a failed run left the folder 2025-Q3 (%v)", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "2025-Q1"))
	if len(entries) != 1 {
		t.Errorf("2025-Q1 holds %d entries after a failed run, want 1 (no temporary files)", len(entries))
	}
}

// checkGolden compares got with the golden file, or with
// -update-report-golden rewrites it.
func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-report-golden to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update-report-golden and review the difference):\n%s", golden, got)
	}
}

// TestStatementWithoutNames: an agreement without licensor or name still
// gives a statement that reads well, with nothing left blank in its header.
func TestStatementWithoutNames(t *testing.T) {
	st := statementFixture(t)[1]
	st.Licensor, st.AgreementName = "", ""
	var h, m bytes.Buffer
	if err := WriteStatementHTML(&h, st); err != nil {
		t.Fatal(err)
	}
	if err := WriteStatementMarkdown(&m, st); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), `<div class="from">Revenue share</div>`) {
		t.Errorf("HTML header without licensor or name:\n%s", h.String())
	}
	if strings.Contains(m.String(), "Licensor") || strings.Contains(m.String(), "**Agreement:**") {
		t.Errorf("Markdown shows empty names:\n%s", m.String())
	}
}
