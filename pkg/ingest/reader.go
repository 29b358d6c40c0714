package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// sniffSize is how much of a file is looked at to pick its format.
const sniffSize = 64 << 10

// Options tells ReadFile how to read a report.
type Options struct {
	Agreement *agreement.Agreement
	// Format forces an input format: "" detects it from the header (SPEC
	// 4.2), "canonical" forces the canonical header, anything else names a
	// declared format.
	Format string
	Stdin  io.Reader        // read for the path "-"
	Warn   func(msg string) // warnings, e.g. ignored columns (one per file)
	// Files is where a path is read from: the file system, relative paths
	// from its Dir ("" = the process's working folder), or its FS when
	// set; messages name the path as given.
	Files workdir.Source
	// Aggregate, when set, lets the reader sum plain rows itself (the
	// fast path, fast.go); row then sees only the other rows.
	Aggregate *Aggregator
	// Progress, when set, is asked for a progress callback for each file
	// (with its size in bytes); a non-nil one is called with the bytes
	// read so far as reading goes on.
	Progress func(path string, size int64) func(read int64)
	// Context, when set, ends the reading with its error once it is done
	// (a signal cancelled the run).
	Context context.Context
	// BlockSize is the fast path's block (DefaultBlockSize when 0); tests
	// make it small to cut files in many blocks.
	BlockSize int
}

// ReadFile reads one revenue report: "-" is opts.Stdin, a name ending in
// .gz is decompressed, a .tsv file defaults to tab. It calls row for each
// good row (the *Row and its Fields are reused after row returns) and bad
// for each bad row; every data row goes to one of them. The Input returned
// holds the SHA-256 of the bytes as stored and the count of data rows read.
//
// A problem with the file as a whole (it cannot be opened, has no header,
// is UTF-16, lacks required columns, matches several formats) is returned
// as a diag.Problem. An error returned by row stops the reading and is
// returned as is.
func ReadFile(path string, opts Options, row func(*Row) error, bad func(BadRow)) (Input, error) {
	if isParquet(path) {
		return readParquet(path, opts, row, bad) // parquet.go
	}
	in := Input{Path: path}
	problem := func(line int, msg, hint string) error {
		return diag.Problem{Path: path, Line: line, Msg: msg, Hint: hint}
	}
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	a := opts.Agreement

	// Open: the raw bytes are hashed as they are read.
	var raw io.Reader
	if path == "-" {
		if opts.Stdin == nil {
			return in, problem(0, "no standard input to read", "")
		}
		raw = opts.Stdin
	} else {
		f, err := opts.Files.Open(path)
		if err != nil {
			return in, problem(0, "cannot open: "+ioMessage(err), "")
		}
		defer f.Close()
		raw = f
		if opts.Progress != nil {
			if fi, err := f.Stat(); err == nil {
				if update := opts.Progress(path, fi.Size()); update != nil {
					raw = &progressReader{r: f, update: update}
				}
			}
		}
	}
	// The hash is of the bytes parsed: once the file reads to its end, it
	// stays at its end, so rows appended while it is read are neither
	// settled nor hashed.
	if opts.Context != nil {
		raw = &contextReader{ctx: opts.Context, r: raw}
	}
	h := newAsyncHash() // hash.go: on its own goroutine
	defer h.close()
	tee := bufio.NewReader(io.TeeReader(&stopAtEOF{r: raw}, h))
	var stream io.Reader = tee
	name := strings.ToLower(path)
	// gzip is known by its magic bytes, on any input (standard input too),
	// or by a .gz name.
	magic, _ := tee.Peek(2)
	if gzipped := bytes.Equal(magic, []byte{0x1f, 0x8b}); gzipped || strings.HasSuffix(name, ".gz") {
		name = strings.TrimSuffix(name, ".gz")
		gz, err := gunzip(tee) // gunzip.go
		if err != nil {
			if err == io.EOF {
				return in, problem(0, "empty file: expected a gzip stream", "")
			}
			return in, problem(0, "cannot decompress: "+ioMessage(err), "")
		}
		stream = gz
	}
	defDelim := ','
	if filepath.Ext(name) == ".tsv" {
		defDelim = '\t'
	}

	br := bufio.NewReaderSize(stream, sniffSize)
	sample, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return in, problem(0, "cannot read: "+ioMessage(err), "")
	}
	if isUTF16(sample) {
		return in, problem(0, "file is UTF-16; save it as UTF-8", "")
	}
	if i := bytes.IndexByte(sample, 0); i >= 0 {
		line := 1 + bytes.Count(sample[:i], []byte{'\n'})
		return in, problem(line, "file holds NUL bytes: not a text report", "a revenue report is CSV text in UTF-8")
	}
	if bytes.HasPrefix(sample, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
		sample = sample[3:]
	}

	// Pick the format.
	l, err := pickLayout(a, opts.Format, defDelim, sample)
	if err != nil {
		var p diag.Problem
		if errors.As(err, &p) {
			p.Path = path
			return in, p
		}
		return in, problem(0, err.Error(), "")
	}
	in.Format = l.name

	// Skip the lines before the header, then read it.
	for i := 0; i < l.skip; i++ {
		if err := skipLine(br); err != nil {
			if err == io.EOF {
				return in, problem(0, "empty file: expected a header line", "")
			}
			return in, problem(0, "cannot read: "+ioMessage(err), "")
		}
	}
	// The header: read from a peek so that the rows after it can be read
	// by either reader below, starting at a known line.
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return in, problem(0, "cannot read: "+ioMessage(err), "")
	}
	hr := csv.NewReader(bytes.NewReader(head))
	hr.Comma = l.delim
	hr.FieldsPerRecord = -1
	rec, err := hr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return in, problem(0, "empty file: expected a header line", "")
		case errors.As(err, &pe):
			return in, problem(l.skip+pe.Line, "header: "+pe.Err.Error(), "")
		default:
			return in, problem(0, "cannot read: "+ioMessage(err), "")
		}
	}
	hdrLine, _ := hr.FieldPos(0)
	hdrLine += l.skip
	off := int(hr.InputOffset())
	if off == len(head) && len(head) == sniffSize {
		return in, problem(hdrLine, fmt.Sprintf("header longer than %d KiB", sniffSize>>10), "")
	}
	base := l.skip + bytes.Count(head[:off], []byte{'\n'})
	if off > 0 && head[off-1] != '\n' {
		base++ // a header without a final newline: the file has no rows
	}
	br.Discard(off)
	d, missing, dups, ignored := newDecoder(a, l, rec)
	if len(dups) > 0 {
		return in, problem(hdrLine, fmt.Sprintf("duplicate %s %s", plural(len(dups), "column"), quoteList(dups)), "")
	}
	if len(ignored) > 0 {
		// Before missing columns: a "did you mean" may explain them.
		warn(path + ": " + d.ignoredWarning(ignored))
	}
	if len(missing) > 0 {
		found := make([]string, len(d.header))
		for i, h := range d.header {
			found[i] = fmt.Sprintf("%q", h)
		}
		return in, problem(hdrLine,
			fmt.Sprintf("missing required %s %s", plural(len(missing), "column"), strings.Join(missing, ", ")),
			fmt.Sprintf("read as format %s, the header has %s", l.name, strings.Join(found, ", ")))
	}

	// The rows.
	rd := &fileReader{path: path, d: d, row: row, bad: bad, in: &in}
	if f := newFast(d, opts); f != nil {
		err = f.read(rd, br, base)
	} else {
		err = rd.slow(br, base)
	}
	if err != nil {
		return in, err
	}

	// Hash the whole file: drain what is left (a gzip trailer, bytes after it).
	if _, err := io.Copy(io.Discard, br); err != nil {
		return in, problem(0, "cannot read: "+ioMessage(err), "")
	}
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return in, problem(0, "cannot read: "+ioMessage(err), "")
	}
	in.SHA256 = hex.EncodeToString(h.Sum())
	return in, nil
}

// contextReader fails its reads once ctx is done.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *contextReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// stopAtEOF ends a stream at its first end: readers above it (bufio, the
// final drain) read again after io.EOF, and a file that grows meanwhile
// would give them more bytes than were parsed.
type stopAtEOF struct {
	r   io.Reader
	eof bool
}

func (s *stopAtEOF) Read(b []byte) (int, error) {
	if s.eof {
		return 0, io.EOF
	}
	n, err := s.r.Read(b)
	if err == io.EOF {
		s.eof = true
	}
	return n, err
}

// MaxRecord bounds one record (a line, or lines joined by a quoted field):
// reading stops with an error beyond it, so memory stays bounded whatever
// a file holds.
const MaxRecord = 1 << 20

var errRecordTooLong = fmt.Errorf("record longer than %d MiB", MaxRecord>>20)

// recordLimit fails a read once more than MaxRecord bytes (and a reader's
// buffer) have gone by since the reader of records last took one.
type recordLimit struct {
	r io.Reader
	n int
}

func (l *recordLimit) Read(b []byte) (int, error) {
	if l.n > MaxRecord+64<<10 {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(b)
	l.n += n
	return n, err
}

// progressReader reports how much of a file has been read.
type progressReader struct {
	r      io.Reader
	n      int64
	update func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	p.update(p.n)
	return n, err
}

// fileReader hands one file's rows to the callbacks of ReadFile.
type fileReader struct {
	path string
	d    *decoder
	row  func(*Row) error
	bad  func(BadRow)
	in   *Input
	r    Row
}

// slow reads the rows from r with encoding/csv, base being the physical
// line before r's first byte. It handles everything: quoting, ragged
// rows, every form of amount and date.
func (rd *fileReader) slow(r io.Reader, base int) error {
	d, l := rd.d, rd.d.l
	// encoding/csv holds a whole record in memory: bound it.
	lim := &recordLimit{r: r}
	r = lim
	cr := csv.NewReader(r)
	cr.Comma = l.delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	next := base + 1 // the line the next record starts on, as far as is known
	for {
		rec, err := cr.Read()
		lim.n = 0
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, errRecordTooLong) {
			// The record starts after the last one read (FieldPos has no
			// fields to tell after such an error).
			return diag.Problem{Path: rd.path, Line: next, Msg: err.Error(),
				Hint: "a line or quoted field this long is not a revenue row; is the file a report, and are its quotes balanced?"}
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) || (pe.Err != csv.ErrBareQuote && pe.Err != csv.ErrQuote) {
				return diag.Problem{Path: rd.path, Msg: "cannot read: " + ioMessage(err)}
			}
			// A quoting error spoils one record: the reader goes on
			// with the next line.
			rd.in.Rows++
			column := ""
			if len(rec) < len(d.header) {
				column = d.header[len(rec)]
			}
			rd.bad(BadRow{Path: rd.path, Line: base + pe.StartLine, Column: column, Reason: pe.Err.Error(), Header: d.raw, Comma: l.delim})
			continue
		}
		if l.footer != "" && strings.HasPrefix(strings.TrimSpace(rec[0]), l.footer) {
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		end, _ := cr.FieldPos(len(rec) - 1)
		next = base + end + 1
		rd.in.Rows++
		if err := rd.one(base+line, rec); err != nil {
			return err
		}
	}
}

// one decodes a counted row and hands it to row or bad.
func (rd *fileReader) one(line int, rec []string) error {
	d := rd.d
	if d.rejects {
		rec = uncells(rec)
	}
	rd.r = Row{Line: line, Fields: rec, dec: d}
	c, reason := d.decode(rec, &rd.r)
	if reason != "" {
		column := ""
		if c >= 0 {
			column = d.header[c]
		}
		rd.bad(BadRow{Path: rd.path, Line: line, Column: column, Reason: reason, Fields: append([]string(nil), rec...), Header: d.raw, Comma: d.l.delim})
		return nil
	}
	return rd.row(&rd.r)
}

// pickLayout returns the forced format, or the one the header picks.
func pickLayout(a *agreement.Agreement, forced string, defDelim rune, sample []byte) (*layout, error) {
	names := make([]string, 0, len(a.Formats))
	for n := range a.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	compile := func(n string) *layout {
		f := a.Formats[n]
		if f.Name == "" {
			g := *f
			g.Name = n
			f = &g
		}
		return compileFormat(a, f, defDelim)
	}
	use := func(l *layout) (*layout, error) {
		if l.compileEr != nil {
			return nil, l.compileEr
		}
		return l, nil
	}
	canonical := func() *layout {
		l := canonicalLayout(defDelim)
		l.cols.near = formatHeaders(a, names)
		return l
	}
	switch {
	case forced == Canonical:
		return canonical(), nil
	case forced != "":
		if a.Formats[forced] == nil {
			hint := "the agreement declares no formats"
			if len(names) > 0 {
				hint = "declared formats: " + Canonical + ", " + strings.Join(names, ", ")
			}
			return nil, diag.Problem{Msg: fmt.Sprintf("unknown format %q", forced), Hint: hint}
		}
		return use(compile(forced))
	}

	type sniffKey struct {
		skip  int
		delim rune
	}
	headers := map[sniffKey]map[string]bool{}
	var best []*layout
	for _, n := range names {
		l := compile(n)
		k := sniffKey{l.skip, l.delim}
		hdr, ok := headers[k]
		if !ok {
			hdr = sniffHeader(sample, l.skip, l.delim)
			headers[k] = hdr
		}
		if hdr == nil || !l.matches(hdr) {
			continue
		}
		switch {
		case len(best) == 0 || len(l.explicit) > len(best[0].explicit):
			best = []*layout{l}
		case len(l.explicit) == len(best[0].explicit):
			best = append(best, l)
		}
	}
	switch len(best) {
	case 0:
		return canonical(), nil
	case 1:
		return use(best[0])
	}
	tied := make([]string, len(best))
	for i, l := range best {
		tied[i] = fmt.Sprintf("%q", l.name)
	}
	return nil, diag.Problem{
		Msg:    fmt.Sprintf("the header matches formats %s equally well", strings.Join(tied, ", ")),
		Remedy: "format", // one format named picks it
	}
}

// sniffHeader reads the header record of sample after skip lines with the
// delimiter delim, as a set of keys; nil when there is none.
func sniffHeader(sample []byte, skip int, delim rune) map[string]bool {
	for i := 0; i < skip; i++ {
		j := bytes.IndexByte(sample, '\n')
		if j < 0 {
			return nil
		}
		sample = sample[j+1:]
	}
	cr := csv.NewReader(bytes.NewReader(sample))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		return nil
	}
	set := make(map[string]bool, len(rec))
	for _, h := range rec {
		set[key(h)] = true
	}
	return set
}

// skipLine consumes one physical line; io.EOF when there is none.
func skipLine(br *bufio.Reader) error {
	n := 0
	for {
		b, err := br.ReadSlice('\n')
		n += len(b)
		switch err {
		case nil:
			return nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if n > 0 {
				return nil
			}
		}
		return err
	}
}

// isUTF16 recognises UTF-16 by its byte-order mark, or by text whose every
// other byte is NUL.
func isUTF16(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	n := min(len(b), 512) &^ 1
	if n < 2 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return (odd*2 >= pairs && even == 0) || (even*2 >= pairs && odd == 0)
}

// blank reports whether every field is empty or spaces (`,,,` lines that
// spreadsheets write): no data, not a row.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// ioMessage is err without the operation and path a *fs.PathError repeats.
func ioMessage(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
