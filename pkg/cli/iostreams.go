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

// ColorEnabled reports whether output to stdout may be coloured: only on a
// terminal, never with NO_COLOR set to anything (https://no-color.org) or
// on a dumb terminal. Piped and redirected output stays plain.
func (s *IOStreams) ColorEnabled() bool {
	if !s.StdoutTTY {
		return false
	}
	getenv := s.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}
