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
	src, err := openSource(path, opts)
	if err != nil {
		return in, err
	}
	defer src.close()
	l, err := src.sniff(opts)
	if err != nil {
		return in, err
	}
	in.Format = l.name
	d, base, err := src.header(l, opts)
	if err != nil {
		return in, err
	}

	// The rows.
	rd := &fileReader{path: path, d: d, row: row, bad: bad, in: &in}
	if f := newFast(d, opts); f != nil {
		err = f.read(rd, src.br, base)
	} else {
		err = rd.slow(src.br, base)
	}
	if err != nil {
		return in, err
	}

	// Hash the whole file: drain what is left (a gzip trailer, bytes after it).
	if _, err := io.Copy(io.Discard, src.br); err != nil {
		return in, src.problem(0, "cannot read: "+ioMessage(err), "")
	}
	if _, err := io.Copy(io.Discard, src.tee); err != nil {
		return in, src.problem(0, "cannot read: "+ioMessage(err), "")
	}
	in.SHA256 = hex.EncodeToString(src.hash.Sum())
	return in, nil
}

// source is a text report being read: its bytes as stored go through tee
// (and are hashed), and br reads them decompressed.
type source struct {
	path     string
	tee      *bufio.Reader
	br       *bufio.Reader
	hash     *asyncHash
	defDelim rune
	closers  []func()
}

func (s *source) problem(line int, msg, hint string) error {
	return diag.Problem{Path: s.path, Line: line, Msg: msg, Hint: hint}
}

func (s *source) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

// openSource opens a report (standard input for "-"), hashes its raw bytes
// as they are read and decompresses gzip.
func openSource(path string, opts Options) (*source, error) {
	s := &source{path: path, defDelim: ','}
	var raw io.Reader
	if path == "-" {
		if opts.Stdin == nil {
			return nil, s.problem(0, "no standard input to read", "")
		}
		raw = opts.Stdin
	} else {
		f, err := opts.Files.Open(path)
		if err != nil {
			return nil, s.problem(0, "cannot open: "+ioMessage(err), "")
		}
		s.closers = append(s.closers, func() { f.Close() })
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
	s.hash = newAsyncHash() // hash.go: on its own goroutine
	s.closers = append(s.closers, s.hash.close)
	s.tee = bufio.NewReader(io.TeeReader(&stopAtEOF{r: raw}, s.hash))
	var stream io.Reader = s.tee
	name := strings.ToLower(path)
	// gzip is known by its magic bytes, on any input (standard input too),
	// or by a .gz name.
	magic, _ := s.tee.Peek(2)
	if gzipped := bytes.Equal(magic, []byte{0x1f, 0x8b}); gzipped || strings.HasSuffix(name, ".gz") {
		name = strings.TrimSuffix(name, ".gz")
		gz, err := gunzip(s.tee) // gunzip.go
		if err != nil {
			s.close()
			if err == io.EOF {
				return nil, s.problem(0, "empty file: expected a gzip stream", "")
			}
			return nil, s.problem(0, "cannot decompress: "+ioMessage(err), "")
		}
		stream = gz
	}
	if filepath.Ext(name) == ".tsv" {
		s.defDelim = '\t'
	}
	s.br = bufio.NewReaderSize(stream, sniffSize)
	return s, nil
}

// sniff checks the first bytes are text, drops a byte-order mark and
// picks the file's format.
func (s *source) sniff(opts Options) (*layout, error) {
	br := s.br
	sample, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, s.problem(0, "cannot read: "+ioMessage(err), "")
	}
	if isUTF16(sample) {
		return nil, s.problem(0, "file is UTF-16; save it as UTF-8", "")
	}
	if i := bytes.IndexByte(sample, 0); i >= 0 {
		line := 1 + bytes.Count(sample[:i], []byte{'\n'})
		return nil, s.problem(line, "file holds NUL bytes: not a text report", "a revenue report is CSV text in UTF-8")
	}
	if bytes.HasPrefix(sample, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
		sample = sample[3:]
	}
	l, err := pickLayout(opts.Agreement, opts.Format, s.defDelim, sample)
	if err != nil {
		var p diag.Problem
		if errors.As(err, &p) {
			p.Path = s.path
			return nil, p
		}
		return nil, s.problem(0, err.Error(), "")
	}
	return l, nil
}

// header skips the lines before the header, reads it and returns the
// decoder of the rows after it and the physical line before them.
func (s *source) header(l *layout, opts Options) (*decoder, int, error) {
	br := s.br
	for i := 0; i < l.skip; i++ {
		if err := skipLine(br); err != nil {
			if err == io.EOF {
				return nil, 0, s.problem(0, "empty file: expected a header line", "")
			}
			return nil, 0, s.problem(0, "cannot read: "+ioMessage(err), "")
		}
	}
	// The header: read from a peek so that the rows after it can be read
	// by either reader, starting at a known line.
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, 0, s.problem(0, "cannot read: "+ioMessage(err), "")
	}
	hr := csv.NewReader(bytes.NewReader(head))
	hr.Comma = l.delim
	hr.FieldsPerRecord = -1
	rec, err := hr.Read()
	if err != nil {
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, 0, s.problem(0, "empty file: expected a header line", "")
		case errors.As(err, &pe):
			return nil, 0, s.problem(l.skip+pe.Line, "header: "+pe.Err.Error(), "")
		default:
			return nil, 0, s.problem(0, "cannot read: "+ioMessage(err), "")
		}
	}
	hdrLine, _ := hr.FieldPos(0)
	hdrLine += l.skip
	off := int(hr.InputOffset())
	if off == len(head) && len(head) == sniffSize {
		return nil, 0, s.problem(hdrLine, fmt.Sprintf("header longer than %d KiB", sniffSize>>10), "")
	}
	base := l.skip + bytes.Count(head[:off], []byte{'\n'})
	if off > 0 && head[off-1] != '\n' {
		base++ // a header without a final newline: the file has no rows
	}
	br.Discard(off)
	d, err := s.columns(l, rec, hdrLine, opts)
	return d, base, err
}

// columns makes the decoder of a header: an error for duplicate or
// missing columns, a warning for ignored ones.
func (s *source) columns(l *layout, rec []string, hdrLine int, opts Options) (*decoder, error) {
	d, missing, dups, ignored := newDecoder(opts.Agreement, l, rec)
	if len(dups) > 0 {
		return nil, s.problem(hdrLine, fmt.Sprintf("duplicate %s %s", plural(len(dups), "column"), quoteList(dups)), "")
	}
	if len(ignored) > 0 && opts.Warn != nil {
		// Before missing columns: a "did you mean" may explain them.
		opts.Warn(s.path + ": " + d.ignoredWarning(ignored))
	}
	if len(missing) > 0 {
		found := make([]string, len(d.header))
		for i, h := range d.header {
			found[i] = fmt.Sprintf("%q", h)
		}
		return nil, s.problem(hdrLine,
			fmt.Sprintf("missing required %s %s", plural(len(missing), "column"), strings.Join(missing, ", ")),
			fmt.Sprintf("read as format %s, the header has %s", l.name, strings.Join(found, ", ")))
	}
	return d, nil
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
