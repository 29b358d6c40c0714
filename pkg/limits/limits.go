// Package limits bounds what llamashare reads whole: every such file (an
// expected result, fx rates, the configuration, the agreement, payments,
// ledger entries) has a size cap, and line-oriented files a cap on one
// line, so that /dev/zero or a 300 MB one-line file is a clear error
// after a bounded read, not gigabytes of memory. Revenue reports are
// streamed and capped per record by their reader.
package limits

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/llamashare/llamashare/pkg/workdir"
)

// Caps on the files read whole.
const (
	Expect = 128 << 20 // an expected result (--expect, check's expected.json)
	Ledger = 256 << 20 // one ledger entry (agreement, rates and sums inside)
	Rates  = 64 << 20  // an fx rates file
	Config = 1 << 20   // a configuration file
	Line   = 1 << 20   // one line of a rates or payments file
)

// ErrTooLarge matches (errors.Is) the errors of Reader and ReadAll.
var ErrTooLarge = errors.New("too large")

// tooLarge is a cap's error: its message says which cap, and it is
// ErrTooLarge.
type tooLarge string

func (e tooLarge) Error() string        { return string(e) }
func (e tooLarge) Is(target error) bool { return target == ErrTooLarge }

// Reader passes R's bytes through, failing once more than Max bytes have
// come, or once a line (bytes between newlines) is longer than MaxLine
// (when MaxLine > 0). What names the kind of file in the error ("an fx
// rates file").
type Reader struct {
	R       io.Reader
	Max     int64
	MaxLine int64
	What    string

	n, line int64
	lines   int // newlines seen, for the line's number
}

func (l *Reader) Read(b []byte) (int, error) {
	if l.n > l.Max {
		return 0, l.tooLarge()
	}
	if int64(len(b)) > l.Max-l.n+1 {
		b = b[:l.Max-l.n+1] // never read far past the cap
	}
	n, err := l.R.Read(b)
	l.n += int64(n)
	if l.n > l.Max {
		return n, l.tooLarge()
	}
	if l.MaxLine > 0 {
		for _, c := range b[:n] {
			if c == '\n' {
				l.line = 0
				l.lines++
				continue
			}
			l.line++
			if l.line > l.MaxLine {
				return n, tooLarge(fmt.Sprintf("line %d is longer than %s, the most llamashare reads in %s", l.lines+1, Size(l.MaxLine), l.What))
			}
		}
	}
	return n, err
}

func (l *Reader) tooLarge() error {
	return tooLarge(fmt.Sprintf("file is larger than %s, the most llamashare reads of %s", Size(l.Max), l.What))
}

// ReadAll reads r whole, failing once it is larger than max bytes,
// whatever it is (a device, a FIFO, a growing file).
func ReadAll(r io.Reader, max int64, what string) ([]byte, error) {
	return io.ReadAll(&Reader{R: r, Max: max, What: what})
}

// Size writes n bytes for people: 64 MiB, 1 KiB, 20 bytes.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile reads name (relative to dir) whole, capped at max bytes; what
// names the kind of file in the error, an *fs.PathError naming the file
// as os.ReadFile's errors do.
func ReadFile(dir workdir.Dir, name string, max int64, what string) ([]byte, error) {
	f, err := dir.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := ReadAll(f, max, what)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}
