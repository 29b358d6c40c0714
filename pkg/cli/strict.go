package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// strictFlag adds --strict (config key and env LLAMASHARE_STRICT too) to a
// command that reads revenue (SPEC 8).
func strictFlag(cmd *cobra.Command) {
	cmd.Flags().Bool("strict", false, "make every warning an error: exit 2, nothing written (for CI)")
}

// strict reports whether --strict (or its setting) is on.
func (g *globals) strict() bool { return g.v.GetBool("strict") }

// warn prints a warning on stderr; under --strict it is kept instead, and
// strictErr turns it into an error before anything is written.
func (g *globals) warn(msg string) {
	if g.strict() {
		g.warnings = append(g.warnings, msg)
		return
	}
	fmt.Fprintln(g.io.ErrOut, "warning: "+msg)
}

// printHeld prints the warnings --strict held when the run failed for
// another reason than them.
func (g *globals) printHeld(err error) {
	var strict *StrictError
	if err == nil || errors.As(err, &strict) {
		return
	}
	for _, w := range g.warnings {
		fmt.Fprintln(g.io.ErrOut, "warning: "+w)
	}
}

// strictErr is the error that ends a --strict run which warned, or nil.
// Commands call it after reading and before writing any output.
func (g *globals) strictErr() error {
	if len(g.warnings) == 0 {
		return nil
	}
	return &StrictError{Warnings: g.warnings}
}

// StrictError ends a --strict run that gave warnings: each one is an
// error, and nothing was written.
type StrictError struct{ Warnings []string }

func (e *StrictError) Error() string {
	return fmt.Sprintf("--strict: %s", count(len(e.Warnings), "warning"))
}

// print writes each warning as an error line, then the hint.
func (e *StrictError) print(w io.Writer) {
	for _, m := range e.Warnings {
		fmt.Fprintln(w, "error: "+m)
	}
	fmt.Fprintln(w, "hint: --strict makes every warning an error; nothing was written")
}
