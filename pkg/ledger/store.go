package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/limits"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// Ledger is a ledger folder's entries, chronological.
type Ledger struct {
	Dir     string
	Entries []*Entry
}

// ErrClosed is returned by Write when the period's entry exists already:
// another close got there first.
var ErrClosed = errors.New("already closed")

// Problem is an integrity problem of one entry (exit 1 for `ledger verify`).
type Problem struct {
	Entry string // the entry's file, or the missing period's
	Msg   string
}

func (p Problem) Error() string { return p.Entry + ": " + p.Msg }

// Problems lists integrity problems.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Error()
	}
	return strings.Join(s, "\n")
}

// read parses every entry of dir: files named PERIOD.json. A missing
// folder is an empty ledger. It returns the entries in period order with
// their bytes, and the files that are not entries as problems.
func read(wd workdir.Dir, dir string) ([]*Entry, [][]byte, Problems, error) {
	names, err := wd.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("ledger %s: %v", dir, err)
	}
	type file struct {
		p    period.Period
		name string
	}
	var files []file
	for _, d := range names {
		name := d.Name()
		if d.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		p, err := period.Parse(strings.TrimSuffix(name, ".json"))
		if err != nil {
			continue
		}
		files = append(files, file{p, name})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].p.Before(files[j].p) })
	var entries []*Entry
	var data [][]byte
	var probs Problems
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		b, err := limits.ReadFile(wd, path, limits.Ledger, "a ledger entry")
		if err != nil {
			return nil, nil, nil, fmt.Errorf("ledger %s: %v", dir, err)
		}
		e, err := parse(path, b)
		if err != nil {
			probs = append(probs, Problem{path, err.Error()})
			continue
		}
		if e.Period != f.p.String() {
			probs = append(probs, Problem{path, "holds period " + e.Period + " (renamed or re-ordered entry)"})
			continue
		}
		entries = append(entries, e)
		data = append(data, b)
	}
	return entries, data, probs, nil
}

// check verifies the entries' integrity without re-deriving figures:
// each is as written (canonical bytes, matching sha256), the periods
// follow one another with no gap, and each Prev is the sha256 of the
// entry before it.
func check(entries []*Entry, data [][]byte) Problems {
	var probs Problems
	for i, e := range entries {
		if err := e.intact(data[i]); err != nil {
			probs = append(probs, Problem{e.file, err.Error()})
		}
		if i == 0 {
			if e.Prev != nil {
				probs = append(probs, Problem{e.file, "the first entry names a previous one (an entry before it was removed?)"})
			}
			continue
		}
		prev := entries[i-1]
		if want := prev.PeriodOf().Next(); e.PeriodOf() != want {
			probs = append(probs, Problem{e.file, fmt.Sprintf("follows %s: entry %s is missing", prev.Period, want)})
		}
		switch {
		case e.Prev == nil:
			probs = append(probs, Problem{e.file, "names no previous entry, but follows " + prev.Period})
		case *e.Prev != prev.digest:
			probs = append(probs, Problem{e.file, "its prev sha256 does not match " + filepath.Base(prev.file) + " (edited, removed or re-ordered entry)"})
		}
	}
	return probs
}

// Load reads a ledger folder and checks its chain; a broken ledger is an
// error listing every problem (Problems). A missing folder is an empty
// ledger.
func Load(dir string) (*Ledger, error) { return LoadIn("", dir) }

// LoadIn is Load with a relative dir taken from the folder wd instead of
// the process's working folder; the ledger and its messages keep dir as
// given.
func LoadIn(wd workdir.Dir, dir string) (*Ledger, error) {
	entries, data, probs, err := read(wd, dir)
	if err != nil {
		return nil, err
	}
	if probs = append(probs, check(entries, data)...); len(probs) > 0 {
		return nil, probs
	}
	return &Ledger{Dir: dir, Entries: entries}, nil
}

// Last returns the last entry, or nil.
func (l *Ledger) Last() *Entry {
	if len(l.Entries) == 0 {
		return nil
	}
	return l.Entries[len(l.Entries)-1]
}

// Closed reports whether p (or a period of which p is part) is closed.
func (l *Ledger) Closed(p period.Period) bool {
	last := l.Last()
	return last != nil && !p.After(last.PeriodOf()) && !p.Before(l.Entries[0].PeriodOf())
}

// Entry returns the entry of period p, or nil.
func (l *Ledger) Entry(p period.Period) *Entry {
	for _, e := range l.Entries {
		if e.PeriodOf() == p {
			return e
		}
	}
	return nil
}

// Issued returns every settlement issued, entry by entry.
func (l *Ledger) Issued() []Issued {
	var out []Issued
	for _, e := range l.Entries {
		out = append(out, e.issued...)
	}
	return out
}

// Write stores a new entry as DIR/PERIOD.json, creating DIR if needed. It
// seals the entry and writes it read-only through atomicfile.CreateNew: a
// hidden temporary file, synced, then linked into place, which fails when
// the name exists: of two closes of one period exactly one succeeds, the
// other gets ErrClosed. An interrupted close has its temporary file
// removed by the signal handler; a killed one leaves at most that hidden
// file, which Load ignores.
func Write(dir string, e *Entry) (string, error) { return WriteIn("", dir, e) }

// WriteIn is Write with a relative dir taken from the folder wd instead
// of the process's working folder; the path returned and the messages
// keep dir as given.
func WriteIn(wd workdir.Dir, dir string, e *Entry) (string, error) {
	if err := wd.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("ledger %s: %v", dir, err)
	}
	data, err := e.seal()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, e.Period+".json")
	f, err := atomicfile.CreateNew(wd.Join(path))
	if err == nil {
		if _, err = f.Write(data); err == nil {
			err = f.CommitNew(0o444)
		} else {
			f.Abort()
		}
	}
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s: %w", path, ErrClosed)
	}
	if err != nil {
		return "", err
	}
	stored, err := parse(path, data)
	if err != nil {
		return "", err
	}
	*e = *stored
	return path, nil
}
