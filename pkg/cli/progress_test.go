package cli

import (
	"bytes"
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
