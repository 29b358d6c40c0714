package cli

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestProgressOnlyOnATerminal(t *testing.T) {
	var errOut bytes.Buffer
	g := &globals{io: &IOStreams{ErrOut: &errOut}}
	if g.progress() != nil {
		t.Fatal("a progress bar when stderr is not a terminal")
	}
	g.io.StderrTTY = true
	p := g.progress()
	if p == nil {
		t.Fatal("no progress bar on a terminal")
	}
	if p("small.csv", 1<<20) != nil {
		t.Error("a progress bar for a small file")
	}
	update := p("big.csv", 200<<20)
	if update == nil {
		t.Fatal("no progress bar for a large file")
	}
	update(100 << 20)
	update(200 << 20)
	if !strings.Contains(errOut.String(), "big.csv") {
		t.Errorf("the bar does not name the file: %q", errOut.String())
	}
}

// TestProgressFirstFrameSpeed: a first update right after the bar is
// created must not draw a speed measured over microseconds (issue 14:
// "254 GB/s"); no frame may claim more than 10 GB/s for 100 MiB read in
// a test.
func TestProgressFirstFrameSpeed(t *testing.T) {
	var errOut bytes.Buffer
	g := &globals{io: &IOStreams{ErrOut: &errOut, StderrTTY: true}}
	update := g.progress()("big.csv", 200<<20)
	update(100 << 20)
	if absurd := regexp.MustCompile(`\(\d+(\.\d+)? ?([0-9]{2,}(\.\d+)? ?GB|[0-9.]+ ?[TPE]B)/s\)`).FindString(errOut.String()); absurd != "" {
		t.Errorf("first frame shows %s:\n%q", absurd, errOut.String())
	}
	update(200 << 20)
}
