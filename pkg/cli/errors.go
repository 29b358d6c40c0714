package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/llamashare/llamashare/pkg/diag"
)

// Exit codes (SPEC 1).
const (
	ExitOK    = 0
	ExitDiff  = 1 // a comparison found differences
	ExitError = 2 // anything else that went wrong
)

// exitStatusHelp is appended to every command's help.
const exitStatusHelp = `
EXIT STATUS
  0  success
  1  a comparison found differences (--expect, check)
  2  anything else: bad agreement, bad input, bad flags, I/O
`

// DiffError reports that a comparison found differences; its text has
// already been printed.
type DiffError struct{ Count int }

func (e *DiffError) Error() string { return fmt.Sprintf("%d differences", e.Count) }

// flagError is a usage problem: bad or missing flags and arguments.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func flagErrorf(format string, args ...any) error {
	return &flagError{fmt.Errorf(format, args...)}
}

// exitCode maps an error to the exit code and prints it on stderr:
// positioned problems as they are (`path:line:col: message`), anything
// else after "error: ".
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
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
		fmt.Fprintln(stderr, "hint: see 'llamashare --help'")
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
