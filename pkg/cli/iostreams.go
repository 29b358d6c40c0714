package cli

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams are a command's standard streams and what they are attached to.
type IOStreams struct {
	In         io.Reader
	Out        io.Writer
	ErrOut     io.Writer
	StdoutTTY  bool
	StderrTTY  bool
	Getenv     func(string) string
	WorkingDir string
}

// System returns the process's own streams.
func System() *IOStreams {
	wd, _ := os.Getwd()
	return &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		StdoutTTY:  isatty.IsTerminal(os.Stdout.Fd()),
		StderrTTY:  isatty.IsTerminal(os.Stderr.Fd()),
		Getenv:     os.Getenv,
		WorkingDir: wd,
	}
}
