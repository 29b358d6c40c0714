// Package payments reads the payments hosts have made (SPEC 10): CSV files
// with the header `date,host,amount` and optionally `currency` and
// `reference`. Amounts follow the grammar of SPEC 3 (pkg/money), hosts
// match ids and aliases, and a payment in another currency is converted
// into the settlement currency with the rate of its date (the `daily` rule
// of SPEC 5 step 1, whatever the agreement's method for revenue).
package payments

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/csvrecords"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/fx"
	"github.com/llamashare/llamashare/pkg/ingest"
	"github.com/llamashare/llamashare/pkg/limits"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// MaxSize is the largest payments file read (after decompression): a
// payments file holds one row per bank transfer, so anything near this is
// not one.
const MaxSize = 64 << 20

// maxSize is MaxSize; tests lower it.
var maxSize int64 = MaxSize

// Payment is one good row of a payments file.
type Payment struct {
	Path      string    // the file, as given
	Line      int       // its line in the file
	Date      time.Time // the day the money moved
	Host      string    // host id
	Amount    decimal.Decimal
	Currency  string          // as paid (the settlement currency when the file has none)
	Original  decimal.Decimal // the amount as paid, in Currency
	Rate      decimal.Decimal // Currency → settlement currency; 1 when the same
	Reference string
}

// Input describes one payments file after reading: every data row is good
// or rejected.
type Input struct {
	Path     string
	SHA256   string // of the bytes as stored (before gunzip)
	Rows     int    // data rows read
	Rejected int
}

// Options tells Read how to read payments.
type Options struct {
	Agreement *agreement.Agreement
	// Rates converts payments in other currencies; nil when the agreement
	// has no fx (then such a payment is a bad row). Load it with method
	// daily: LoadRates does.
	Rates *fx.Table
	Stdin io.Reader        // read for the path "-"
	Warn  func(msg string) // warnings (ignored columns)
	// Files is where the paths are read from (relative ones from its Dir
	// on the file system, or its FS); messages name the paths as given.
	Files workdir.Source
	// Reject, when set, takes each bad row and the run goes on (--rejects);
	// otherwise Read fails listing every bad row.
	Reject func(ingest.BadRow) error
}

// LoadRates reads the agreement's fx rates for converting payments: the
// rate of the payment's date, else the latest earlier one. It returns nil
// when the agreement has no fx.
func LoadRates(ag *agreement.Agreement) (*fx.Table, error) {
	if ag.FX == nil {
		return nil, nil
	}
	return fx.LoadFor(workdir.Source{Dir: ag.WorkDir}, ag.RatesPath(), fx.Daily, ag.Currency)
}

// Read reads every payments file in order and returns the good payments
// (by host, then date, then file order) and each file's counts. A file
// given twice (the same path, or the same bytes under another name) is
// refused: its payments would count twice. Without opts.Reject a bad row
// fails the run; the error lists every one (diag.Limited), and the
// inputs read so far are returned with it for the reconciliation.
func Read(paths []string, opts Options) ([]Payment, []Input, error) {
	if err := samePath(opts.Files, paths); err != nil {
		return nil, nil, err
	}
	bad := &diag.Limited{Noun: "bad payment rows", Remedy: "rejects"}
	var all []Payment
	var inputs []Input
	byHash := map[string]string{}
	for _, path := range paths {
		ps, in, err := readFile(path, opts, bad)
		if err != nil {
			return nil, inputs, err
		}
		if prev, ok := byHash[in.SHA256]; ok {
			return nil, inputs, diag.Problem{Path: path,
				Msg:  fmt.Sprintf("same content as %s (sha256 %s…): a payments file given twice would count its payments twice", prev, in.SHA256[:12]),
				Hint: "name each payments file once"}
		}
		byHash[in.SHA256] = path
		inputs = append(inputs, in)
		all = append(all, ps...)
	}
	if err := bad.Err(); err != nil {
		return nil, inputs, err
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Host != all[j].Host {
			return all[i].Host < all[j].Host
		}
		return all[i].Date.Before(all[j].Date)
	})
	return all, inputs, nil
}

// samePath refuses two arguments that name the same file.
func samePath(src workdir.Source, paths []string) error {
	return src.OnceEach(paths, "payments file", "payments", "name each payments file once")
}

// columns of a payments file.
var (
	required = []string{"date", "host", "amount"}
	optional = []string{"currency", "reference"}
)

func readFile(path string, opts Options, bad *diag.Limited) ([]Payment, Input, error) {
	in := Input{Path: path}
	data, err := readBytes(path, opts, &in)
	if err != nil {
		return nil, in, err
	}
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.FieldsPerRecord = -1
	header, col, name, err := readHeader(cr, path, opts.Warn)
	if err != nil {
		return nil, in, err
	}
	var out []Payment
	err = csvrecords.Each(cr, func(rec []string, line int) error {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			return nil // a blank line
		}
		in.Rows++
		p, column, reason := parseRow(rec, col, opts.Agreement, opts.Rates)
		if reason != "" {
			b := ingest.BadRow{Path: path, Line: line, Column: name[column], Reason: reason, Fields: append([]string(nil), rec...), Header: header, Comma: ','}
			return reject(opts, bad, &in, b)
		}
		p.Path, p.Line = path, line
		out = append(out, p)
		return nil
	}, func(line int, reason string) error {
		in.Rows++
		return reject(opts, bad, &in, ingest.BadRow{Path: path, Line: line, Reason: reason, Header: header, Comma: ','})
	})
	if re := (*csvrecords.ReadError)(nil); errors.As(err, &re) {
		err = diag.Problem{Path: path, Msg: re.Err.Error()}
	}
	if err != nil {
		return nil, in, err
	}
	return out, in, nil
}

// readBytes reads the whole of a payments file (standard input for "-",
// decompressed when its name ends in .gz, at most maxSize bytes), records
// the sha256 of its bytes as stored in in, and refuses UTF-16 and NUL
// bytes. A UTF-8 byte order mark is dropped.
func readBytes(path string, opts Options, in *Input) ([]byte, error) {
	problem := func(line int, msg string) error { return diag.Problem{Path: path, Line: line, Msg: msg} }
	var raw io.Reader
	if path == "-" {
		if opts.Stdin == nil {
			return nil, problem(0, "no standard input to read")
		}
		raw = opts.Stdin
	} else {
		f, err := opts.Files.Open(path)
		if err != nil {
			return nil, problem(0, "cannot open: "+workdir.Cause(err).Error())
		}
		defer f.Close()
		raw = f
	}
	h := sha256.New()
	var stream io.Reader = io.TeeReader(raw, h)
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		gz, err := gzip.NewReader(stream)
		if err != nil {
			return nil, problem(0, "cannot decompress: "+workdir.Cause(err).Error())
		}
		stream = gz
	}
	// Capped in size and per line (limits), as the revenue reader caps
	// its records.
	data, err := io.ReadAll(&limits.Reader{R: stream, Max: maxSize, MaxLine: limits.Line, What: "a payments file"})
	if err != nil {
		return nil, problem(0, workdir.Cause(err).Error())
	}
	_, _ = io.Copy(io.Discard, raw) // hash a gzip file's trailing bytes too
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, problem(0, "file is UTF-16; save it as UTF-8")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, problem(1+bytes.Count(data[:i], []byte{'\n'}), "file holds NUL bytes: not a payments CSV")
	}
	return bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), nil
}

// readHeader reads the header record: the column of each known key and
// its name as the file writes it. Unknown columns are warned about; a
// duplicate or a missing required column fails.
func readHeader(cr *csv.Reader, path string, warn func(string)) (header []string, col map[string]int, name map[string]string, err error) {
	problem := func(line int, msg string) error { return diag.Problem{Path: path, Line: line, Msg: msg} }
	header, err = cr.Read()
	header = append([]string(nil), header...)
	if err == io.EOF {
		return nil, nil, nil, problem(0, "empty file: want the header date,host,amount[,currency][,reference]")
	}
	if err != nil {
		return nil, nil, nil, problem(1, err.Error())
	}
	col = map[string]int{}
	name = map[string]string{}
	var ignored []string
	for i, hd := range header {
		k := strings.ToLower(strings.TrimSpace(hd))
		if !contains(required, k) && !contains(optional, k) {
			ignored = append(ignored, fmt.Sprintf("%q", strings.TrimSpace(hd)))
			continue
		}
		if _, dup := col[k]; dup {
			return nil, nil, nil, problem(1, fmt.Sprintf("duplicate column %q", k))
		}
		col[k], name[k] = i, strings.TrimSpace(hd)
	}
	var missing []string
	for _, k := range required {
		if _, ok := col[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, nil, nil, diag.Problem{Path: path, Line: 1, Msg: "missing column " + strings.Join(missing, ", "),
			Hint: "a payments file has the header date,host,amount[,currency][,reference]"}
	}
	if len(ignored) > 0 && warn != nil {
		warn(fmt.Sprintf("%s: ignored columns %s", path, strings.Join(ignored, ", ")))
	}
	return header, col, name, nil
}

// reject counts a bad row and hands it to opts.Reject, or keeps it for
// the error.
func reject(opts Options, bad *diag.Limited, in *Input, b ingest.BadRow) error {
	in.Rejected++
	if opts.Reject != nil {
		return opts.Reject(b)
	}
	bad.Add(diag.Problem{Path: b.Path, Line: b.Line, Column: b.Column, Msg: b.Reason})
	return nil
}

// parseRow reads one data row; a bad row returns the column at fault
// (a canonical name, or "") and the reason.
func parseRow(rec []string, col map[string]int, ag *agreement.Agreement, rates *fx.Table) (Payment, string, string) {
	get := func(k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var p Payment
	day, err := period.ParseDate(get("date"))
	if err != nil {
		return p, "date", err.Error()
	}
	p.Date = day
	host := ag.Host(get("host"))
	if host == nil {
		if get("host") == "" {
			return p, "host", "empty host"
		}
		msg := fmt.Sprintf("unknown host %q", get("host"))
		if hint := ag.HostHint(get("host")); hint != "" {
			msg += " (" + hint + ")"
		}
		return p, "host", msg
	}
	p.Host = host.ID
	amt, err := money.ParseAmount(get("amount"), '.')
	if err != nil {
		if errors.Is(err, money.ErrEmpty) {
			return p, "amount", "empty amount"
		}
		return p, "amount", err.Error()
	}
	p.Original = amt
	p.Currency = ag.Currency
	if c := strings.ToUpper(get("currency")); c != "" {
		if !money.ValidCurrency(c) {
			return p, "currency", fmt.Sprintf("%q is not an ISO 4217 currency code", get("currency"))
		}
		p.Currency = c
	}
	p.Rate = decimal.NewFromInt(1)
	if p.Currency != ag.Currency {
		if rates == nil {
			return p, "currency", fmt.Sprintf("a payment in %s needs fx rates, and the agreement has no fx", p.Currency)
		}
		r, err := rates.Rate(p.Currency, day, period.Of(day, ag.Period))
		if err != nil {
			return p, "currency", err.Error()
		}
		p.Rate = r
	}
	p.Amount = ag.Rounding.Round(amt.Mul(p.Rate))
	p.Reference = get("reference")
	return p, "", ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
