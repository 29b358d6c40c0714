package cli

import (
	"io"
	"os"
	"strconv"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"

	"github.com/llamashare/llamashare/pkg/workdir"
)

// IOStreams are a command's standard streams and what they are attached to.
type IOStreams struct {
	In        io.Reader
	Out       io.Writer
	ErrOut    io.Writer
	StdoutTTY bool
	StderrTTY bool
	Columns   int // the terminal's width when StdoutTTY; 0 = unknown (80)
	Getenv    func(string) string
	// WorkingDir is the folder relative paths are taken from (check runs
	// each fixture with its own folder here, never by os.Chdir).
	WorkingDir string
	// Confine, when set, is the folder every output file must stay in
	// (check runs a fixture's args so).
	Confine string
}

// System returns the process's own streams. LLAMASHARE_FORCE_TTY=N
// makes stdout count as a terminal N columns wide (any other value: as
// wide as $COLUMNS, else 80), as GH_FORCE_TTY does for gh: for tests, and
// to see the terminal table in a pager.
func System() *IOStreams {
	wd, _ := os.Getwd()
	s := &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		StdoutTTY:  isatty.IsTerminal(os.Stdout.Fd()),
		StderrTTY:  isatty.IsTerminal(os.Stderr.Fd()),
		Getenv:     os.Getenv,
		WorkingDir: wd,
	}
	if s.StdoutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			s.Columns = w
		}
	}
	if force := os.Getenv("LLAMASHARE_FORCE_TTY"); force != "" {
		s.StdoutTTY = true
		s.Columns, _ = strconv.Atoi(force)
	}
	if s.Columns <= 0 {
		s.Columns, _ = strconv.Atoi(os.Getenv("COLUMNS"))
	}
	return s
}

// dir is WorkingDir as the folder relative paths are opened from: "" (as
// given) when it is the process's own working folder, so that an ordinary
// run opens exactly the paths it was given.
func (s *IOStreams) dir() workdir.Dir {
	if s.WorkingDir == "" {
		return ""
	}
	if wd, err := os.Getwd(); err == nil && wd == s.WorkingDir {
		return ""
	}
	return workdir.Dir(s.WorkingDir)
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
