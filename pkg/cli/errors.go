package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/diag"
)

// Exit codes (SPEC 1).
const (
	ExitOK    = 0
	ExitDiff  = 1 // a comparison found differences
	ExitError = 2 // anything else that went wrong
)

// exitStatusHelp is the root's list of exit codes.
const exitStatusHelp = `
EXIT STATUS
  0  success
  1  a comparison found differences (--expect, check)
  2  anything else: bad agreement, bad input, bad flags, I/O
`

// exitsDiff annotates a command that can exit 1; its value names when
// ("--expect", "a fixture failed").
const exitsDiff = "llamashare/exit-1"

// exitStatus is the EXIT STATUS section of cmd's help: only the codes it
// can return.
func exitStatus(cmd *cobra.Command) string {
	s := "\nEXIT STATUS\n  0  success\n"
	if when := cmd.Annotations[exitsDiff]; when != "" {
		s += "  1  " + when + "\n"
	}
	return s + "  2  anything else: bad agreement, bad input, bad flags, I/O\n"
}

// DiffError reports that a comparison found differences; its text has
// already been printed.
type DiffError struct{ Count int }

func (e *DiffError) Error() string { return count(e.Count, "difference") }

// flagError is a usage problem: bad or missing flags and arguments. Its
// hint, if any, is printed before the pointer to the command's help.
type flagError struct {
	err  error
	hint string
}

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func flagErrorf(format string, args ...any) error {
	return &flagError{err: fmt.Errorf(format, args...)}
}

// exitCode maps an error to the exit code and prints it on stderr:
// positioned problems as they are (`path:line:col: message`), anything
// else after "error: "; a usage error points to cmdPath's help.
func exitCode(err error, stderr io.Writer, cmdPath string) int {
	if err == nil {
		return ExitOK
	}
	err = wordRemedies(err)
	var diff *DiffError
	if errors.As(err, &diff) {
		return ExitDiff
	}
	var coded *ExitCodeError
	if errors.As(err, &coded) {
		return coded.Code
	}
	var strict *StrictError
	if errors.As(err, &strict) {
		strict.print(stderr)
		return ExitError
	}
	var list diag.List
	var prob diag.Problem
	if errors.As(err, &list) || (errors.As(err, &prob) && prob.Path != "") {
		fmt.Fprintln(stderr, err.Error())
	} else {
		fmt.Fprintln(stderr, "error: "+err.Error())
	}
	var fe *flagError
	if errors.As(err, &fe) {
		if fe.hint != "" {
			fmt.Fprintln(stderr, "hint: "+fe.hint)
		}
		if cmdPath == "" {
			cmdPath = "llamashare"
		}
		fmt.Fprintf(stderr, "hint: see '%s --help'\n", cmdPath)
	}
	return ExitError
}

// ExitCodeError ends a command with Code after its output has already
// said why.
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// count writes "1 host", "2 hosts".
func count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
