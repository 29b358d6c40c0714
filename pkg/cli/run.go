package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/settle"
)

// rejectsFlag adds --rejects to a command that reads revenue (SPEC 8).
func rejectsFlag(cmd *cobra.Command) {
	cmd.Flags().String("rejects", "", "write bad rows to `PATH` as CSV (under their input's header) and go on without them")
	_ = cmd.RegisterFlagCompletionFunc("rejects", fileExt("csv"))
}

// openRejects opens --rejects, when given, in the run's output set
// before anything is read, and hands bad rows to it.
func (g *globals) openRejects(set *atomicfile.Set, opts *settle.Options) (*rejectsWriter, error) {
	path := g.path("rejects")
	if path == "" {
		return nil, nil
	}
	r, err := createRejects(set, path)
	if err != nil {
		return nil, err
	}
	opts.Reject = r.add
	return r, nil
}

// settleRejecting opens --rejects, when given, in the run's output set
// and settles files (with the ledger when --ledger is set).
func (g *globals) settleRejecting(set *atomicfile.Set, opts settle.Options, files []string) (*settle.Result, *rejectsWriter, error) {
	rejects, err := g.openRejects(set, &opts)
	if err != nil {
		return nil, nil, err
	}
	res, err := g.settleRun(opts, files)
	return res, rejects, err
}

// run settles files. A run that fails on bad rows says, after listing
// them, how every row was accounted for and how to go on without them.
func (g *globals) run(opts settle.Options, files []string) (*settle.Result, error) {
	res, err := settle.Run(opts, files)
	var bad *settle.BadRowsError
	if errors.As(err, &bad) {
		return nil, withReconciliation(err, bad.Inputs)
	}
	return res, err
}

// withReconciliation appends to a bad-rows error the reconciliation of
// inputs and the hint to --rejects.
func withReconciliation(err error, inputs []settle.Input) error {
	var b strings.Builder
	writeReconciliation(&b, inputs)
	fmt.Fprintf(&b, "hint: use --rejects PATH to set the bad rows aside (to fix and feed back) and settle the rest")
	return &tailError{err: err, tail: b.String()}
}

// tailError is err with more lines after it.
type tailError struct {
	err  error
	tail string
}

func (e *tailError) Error() string { return e.err.Error() + "\n" + e.tail }
func (e *tailError) Unwrap() error { return e.err }

// printReconciliation accounts for every row read (SPEC 4.3).
func printReconciliation(w io.Writer, res *settle.Result) { writeReconciliation(w, res.Inputs) }

func writeReconciliation(w io.Writer, inputs []settle.Input) {
	for _, in := range inputs {
		if in.Late > 0 {
			// A ledger run (SPEC 9): rows of closed periods are late.
			fmt.Fprintf(w, "%s: %s = %d settled + %d outside + %d late + %d rejected\n",
				in.Path, count(in.Rows, "row"), in.Settled, in.Outside, in.Late, in.Rejected)
			continue
		}
		fmt.Fprintf(w, "%s: %s = %d settled + %d outside + %d rejected\n",
			in.Path, count(in.Rows, "row"), in.Settled, in.Outside, in.Rejected)
	}
}

// land writes a command's result with write: into out (--out) when given,
// else to standard output once the set's other outputs have landed.
// Every output is written and flushed to disk before any is renamed into
// place, and a late failure puts back what was: all land or none.
func (g *globals) land(set *atomicfile.Set, out *atomicfile.File, rejects *rejectsWriter, write func(io.Writer) error) error {
	if out != nil {
		if err := write(out); err != nil {
			return err
		}
	}
	if err := commit(set, rejects); err != nil {
		return err
	}
	if out == nil {
		return write(g.io.Out)
	}
	return nil
}

// commit flushes the rejects files, when there are any, and lands every
// output of the set, or none.
func commit(set *atomicfile.Set, r *rejectsWriter) error {
	if r != nil {
		if err := r.finish(); err != nil {
			return err
		}
	}
	return set.Commit()
}
