package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The statements are what a partner sees: these tests open them in a real
// browser (Debian's chromium, headless), as a partner would, and print them
// to PDF, as finance staff do before sending. They need chromium and
// poppler-utils (pdfinfo, pdftotext); .ci/run installs both and sets
// LLAMASHARE_REQUIRE_BROWSER=1, so in CI they cannot skip.

// browserTools returns the chromium binary, or skips (fails under
// LLAMASHARE_REQUIRE_BROWSER=1) when it or poppler-utils is missing.
func browserTools(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the browser tests run on Linux")
	}
	var missing []string
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		missing = append(missing, "chromium")
	}
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool+" (poppler-utils)")
		}
	}
	if len(missing) > 0 {
		msg := "not installed: " + strings.Join(missing, ", ") + " (.ci/run installs them)"
		if os.Getenv("LLAMASHARE_REQUIRE_BROWSER") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return browser
}

// chromium runs the headless browser on args with a profile of its own
// (two runs at once would fight over the default one) and returns stdout.
func chromium(t *testing.T, browser string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", browser, strings.Join(args, " "), err, errOut.String())
	}
	return out.Bytes()
}

// mustRun runs llamashare in dir and fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv: func(string) string { return "" }, WorkingDir: dir}
	if code := Main(args, streams); code != 0 {
		t.Fatalf("llamashare %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.Bytes()
}

// longProduct is a partner's product id with no place to break: it must
// not push the amounts off the page.
var longProduct = "llama-3.3-70b-instruct-" + strings.Repeat("finetuned", 15)

// TestStatementsInBrowser renders the shipped example's statements (one
// with a very long product id) and the quarter-close account statements
// (payments, prior-period adjustments) in chromium, and checks what a
// partner sees: no statement is wider than an A4 page or a phone, and the
// printed PDF (of two hosts each) is at most three pages whose text
// carries the amount payable of `settle -o json` in full and every share
// line's product id.
func TestStatementsInBrowser(t *testing.T) {
	browser := browserTools(t)
	t.Parallel()

	hosts := t.TempDir()
	if err := copyTree("../../examples/llama-hosts", hosts); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(hosts, "2025-q1.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "2025-02-03,aws,%s,us-east-1,USD,1234.56,0,0,0,0,1000\n", longProduct)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// Paths are absolute: the command line resolves them against the
	// process's folder, which a parallel test must not change.
	in := func(dir string, names ...string) []string {
		for i, n := range names {
			names[i] = filepath.Join(dir, n)
		}
		return names
	}
	hostsArgs := append([]string{"-p", "2025-Q1", "-a"}, in(hosts, "agreement.yaml", "2025-q1.csv")...)
	mustRun(t, hosts, append([]string{"statements", "--dir", filepath.Join(hosts, "out")}, hostsArgs...)...)

	qc := t.TempDir()
	if err := copyTree("../../examples/quarter-close", qc); err != nil {
		t.Fatal(err)
	}
	qcArgs := append([]string{"-p", "2025-Q2", "-a"}, in(qc, "agreement.yaml")...)
	qcArgs = append(qcArgs, "--ledger", filepath.Join(qc, "balances", "ledger"))
	mustRun(t, qc, append([]string{"statements", "--dir", filepath.Join(qc, "out"),
		"--payments", filepath.Join(qc, "balances", "payments.csv")}, qcArgs...)...)

	for _, c := range []struct {
		name, dir, period string
		settle            []string
	}{
		{"llama-hosts", hosts, "2025-Q1", hostsArgs},
		{"quarter-close", qc, "2025-Q2", qcArgs},
	} {
		pages, err := filepath.Glob(filepath.Join(c.dir, "out", c.period, "*.html"))
		if err != nil || len(pages) == 0 {
			t.Fatalf("%s: no statements written (%v)", c.name, err)
		}
		for _, width := range []int{794, 500} { // A4 at 96 dpi; the narrowest headless window
			for page, w := range measureWidths(t, browser, pages, width) {
				if w.scroll > w.inner {
					t.Errorf("%s: %s is %d px wide in a %d px window: a partner scrolls sideways (or the print cuts it)",
						c.name, filepath.Base(page), w.scroll, w.inner)
				}
			}
		}
		var doc settleDoc
		if err := json.Unmarshal(mustRun(t, c.dir, append([]string{"settle", "-o", "json", "--lines"}, c.settle...)...), &doc); err != nil {
			t.Fatal(err)
		}
		for _, s := range doc.Settlements {
			// Printing takes a browser start each: print the host with
			// the long product id and the one in credit, not all eight.
			if s.Period != c.period || (s.Host != "aws" && s.Host != "azure") {
				continue
			}
			checkPrinted(t, browser, filepath.Join(c.dir, "out", c.period, s.Host+".html"), s)
		}
	}
}

type settleDoc struct{ Settlements []settled }

// settled is what a statement must show of one settlement.
type settled struct {
	Host, Period, Payable string
	Lines                 []struct{ Product string }
}

type widths struct{ scroll, inner int }

// measureWidths opens every page in one browser run, each in a frame of
// the given width, and returns each page's document width against the
// frame's.
func measureWidths(t *testing.T, browser string, pages []string, width int) map[string]widths {
	t.Helper()
	var frames strings.Builder
	for i, p := range pages {
		abs, _ := filepath.Abs(p)
		fmt.Fprintf(&frames, "<iframe id=f%d src=\"file://%s\" style=\"width:%dpx;height:1123px;border:0\"></iframe>\n", i, abs, width)
	}
	wrapper := filepath.Join(t.TempDir(), "measure.html")
	html := `<!DOCTYPE html><html><body>` + frames.String() + `<script>
window.onload = function () {
  var out = [];
  document.querySelectorAll("iframe").forEach(function (f) {
    var d = f.contentDocument.documentElement;
    out.push(f.id + "=" + d.scrollWidth + "/" + f.contentWindow.innerWidth);
  });
  document.body.setAttribute("data-widths", out.join(" "));
};
</script></body></html>`
	if err := os.WriteFile(wrapper, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := chromium(t, browser, "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", "file://"+wrapper)
	m := regexp.MustCompile(`data-widths="([^"]*)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the browser measured nothing:\n%.2000s", dom)
	}
	got := map[string]widths{}
	for _, field := range strings.Fields(string(m[1])) {
		var i, scroll, inner int
		if _, err := fmt.Sscanf(field, "f%d=%d/%d", &i, &scroll, &inner); err != nil || i >= len(pages) {
			t.Fatalf("bad measure %q: %v", field, err)
		}
		got[pages[i]] = widths{scroll, inner}
	}
	if len(got) != len(pages) {
		t.Fatalf("measured %d of %d pages: %s", len(got), len(pages), m[1])
	}
	return got
}

var payableRe = regexp.MustCompile(`AMOUNT PAYABLE\s+([A-Z]{3}) ([0-9,]+\.[0-9]+)`)

// checkPrinted prints one statement to PDF and reads it back as text.
func checkPrinted(t *testing.T, browser, page string, s settled) {
	t.Helper()
	pdf := filepath.Join(t.TempDir(), s.Host+".pdf")
	chromium(t, browser, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", pdf, err)
	}
	n := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	if n == nil {
		t.Fatalf("pdfinfo: no page count in\n%s", info)
	}
	if pages, _ := strconv.Atoi(string(n[1])); pages < 1 || pages > 3 {
		t.Errorf("%s: printed on %d pages, want 1 to 3", filepath.Base(page), pages)
	}
	text, err := exec.Command("pdftotext", "-raw", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	m := payableRe.FindSubmatch(text)
	if m == nil {
		t.Fatalf("%s: no amount payable in the printed text:\n%s", filepath.Base(page), text)
	}
	if got := strings.ReplaceAll(string(m[2]), ",", ""); got != s.Payable {
		t.Errorf("%s: printed payable %s, settle says %s", filepath.Base(page), m[2], s.Payable)
	}
	// pdftotext breaks a long id where the browser wrapped it; join the
	// text back before looking for each product.
	flat := strings.Join(strings.Fields(string(text)), "")
	for _, l := range s.Lines {
		product := l.Product
		if product == "*" { // a rule-wide tier line
			product = "allproducts"
		}
		if !strings.Contains(flat, product) {
			t.Errorf("%s: product %q is not in the printed text", filepath.Base(page), l.Product)
		}
	}
}
