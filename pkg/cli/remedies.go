package cli

import (
	"errors"

	"github.com/llamashare/llamashare/pkg/diag"
)

// remedyHints words the hint for a problem whose remedy is a setting (its
// Remedy, a configuration key) as a user of the command line sets it:
// the packages that find problems (settle, revenue, payments) name
// settings, never flags.
var remedyHints = map[string]string{
	"format":  "use --format NAME to pick one",
	"rejects": "--rejects PATH writes them to a file and goes on",
}

// wordRemedies gives every problem in err that names a remedy, and has no
// hint of its own, the command line's hint for it: a problem, a list of
// them (changed in place) or a limited list, also when wrapped.
func wordRemedies(err error) error {
	var lim *diag.Limited
	if errors.As(err, &lim) && lim.Remedy != "" && lim.Hint == "" {
		lim.Hint = remedyHints[lim.Remedy]
	}
	var list diag.List
	if errors.As(err, &list) {
		for i := range list {
			list[i] = worded(list[i])
		}
	}
	switch e := err.(type) {
	case diag.Problem:
		return worded(e)
	case *tailError:
		return &tailError{err: wordRemedies(e.err), tail: e.tail}
	}
	return err
}

func worded(p diag.Problem) diag.Problem {
	if p.Remedy != "" && p.Hint == "" {
		p.Hint = remedyHints[p.Remedy]
	}
	return p
}
