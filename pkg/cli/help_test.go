package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/viper"
)

// TestEveryCommandHelp walks every command: its --help must work (a flag
// clash panics or fails here), document the exit codes, and show an
// example or usage line.
func TestEveryCommandHelp(t *testing.T) {
	root := newRoot(&globals{io: &IOStreams{}, v: viper.New()})
	for _, c := range append(root.Commands(), root) {
		name := c.Name()
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := []string{"--help"}
			if c != root {
				args = []string{name, "--help"}
			}
			code := Main(args, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
			if code != ExitOK {
				t.Fatalf("%s --help: exit %d: %s", name, code, errOut.String())
			}
			if name != "help" && !strings.Contains(out.String(), "EXIT STATUS") {
				t.Errorf("%s --help does not document the exit codes:\n%s", name, out.String())
			}
			if !strings.Contains(out.String(), "Usage:") {
				t.Errorf("%s --help has no usage line", name)
			}
		})
	}
}
