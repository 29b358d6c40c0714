package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/llamashare/llamashare/pkg/atomicfile"
)

// interrupted is the cause of a run's context when a signal ended it.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string { return "interrupted by " + e.sig.String() }

// code is the shell's exit code for a process a signal ended: 128 + the
// signal's number (130 for SIGINT, 143 for SIGTERM).
func (e *interrupted) code() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitError
}

// graceAfterSignal is how long a run may take to stop after SIGINT or
// SIGTERM (it checks its context as it reads) before its temporary files
// are removed and the process exits anyway: a read blocked on a pipe or a
// FIFO does not see the context.
const graceAfterSignal = 2 * time.Second

// signalContext returns a context that SIGINT and SIGTERM cancel, with an
// *interrupted cause. A second signal, or a run that does not stop within
// graceAfterSignal, removes the temporary files and exits at once.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var first *interrupted
		var timeout <-chan time.Time
		for {
			select {
			case <-done:
				return
			case s := <-ch:
				if first != nil {
					exitNow(first)
				}
				first = &interrupted{sig: s}
				cancel(first)
				timeout = time.After(graceAfterSignal)
			case <-timeout:
				exitNow(first)
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

func exitNow(e *interrupted) {
	atomicfile.RemoveTemporaries()
	fmt.Fprintf(os.Stderr, "llamashare: %s; nothing written\n", e)
	os.Exit(e.code())
}

// ctx is the run's context (never nil).
func (g *globals) ctx() context.Context {
	if g.context == nil {
		return context.Background()
	}
	return g.context
}

// signalExit is the exit code of a run a signal interrupted, after its
// temporary files are removed; ok is false when no signal came.
func signalExit(ctx context.Context) (int, bool) {
	var in *interrupted
	if !errors.As(context.Cause(ctx), &in) {
		return 0, false
	}
	atomicfile.RemoveTemporaries()
	return in.code(), true
}
