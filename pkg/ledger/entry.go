// Package ledger keeps the settlements a period close issued (SPEC 9):
// one JSON entry per closed period, DIR/PERIOD.json, hash-chained, holding
// everything needed to re-derive its figures — the agreement's text, the
// fx rates' text, every input's sums at the pre-aggregation grain, and the
// settlements as issued. Entries are created once and never rewritten.
package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/report"
	"github.com/llamashare/llamashare/pkg/settle"
)

// Schema names the entry format.
const Schema = "llamashare/ledger/v1"

// Entry is one closed period, field for field as stored, in order.
type Entry struct {
	Schema   string `json:"schema"`
	Period   string `json:"period"`
	ClosedOn string `json:"closed_on"` // YYYY-MM-DD
	// Tool is the program that closed the period: a statement re-rendered
	// from the entry names it, as the statement issued did.
	Tool report.Tool `json:"tool"`
	// Prev is the sha256 of the previous entry's file; null for the first.
	Prev        *string         `json:"prev"`
	Agreement   Document        `json:"agreement"`
	FX          *FXDocument     `json:"fx"`
	Inputs      []Input         `json:"inputs"`
	Settlements json.RawMessage `json:"settlements"` // SPEC 6 settlements as issued, with adjustments
	// SHA256 is the digest of the entry as stored with this field empty:
	// an edit anywhere shows even in the last entry, which no later
	// entry's Prev covers.
	SHA256 string `json:"sha256"`

	// Read from the file, not stored.
	file   string // path read from
	digest string // sha256 of the file's bytes
	issued []Issued
}

// Document is a file kept whole in the entry.
type Document struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Text   string `json:"text"`
}

// FXDocument is the fx rates file the close used, kept whole.
type FXDocument struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Method string `json:"method"`
	Text   string `json:"text"`
}

// Input is one input file of a close: its provenance, reconciliation, and
// the sums of the rows it settled (late rows included).
type Input struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	Format   string `json:"format"`
	Rows     int    `json:"rows"`
	Settled  int    `json:"settled"`
	Outside  int    `json:"outside"`
	Late     int    `json:"late"`
	Rejected int    `json:"rejected"`
	// Replaces is the sha256 of the closed input this one supersedes
	// (--replace), or null.
	Replaces *string `json:"replaces"`
	Sums     []Sum   `json:"sums"`
}

// Sum is one key of an input's aggregate, amounts as exact decimal text.
type Sum struct {
	Host     string `json:"host"`
	Product  string `json:"product"`
	Currency string `json:"currency"`
	Date     string `json:"date"`
	Rows     int    `json:"rows"`
	Gross    string `json:"gross"`
	Refunds  string `json:"refunds"`
	Taxes    string `json:"taxes"`
	Fees     string `json:"fees"`
	Credits  string `json:"credits"`
	Units    string `json:"units"`
}

// Issued is one settlement as a close issued it: what later runs, and
// balances (SPEC 10), read from the ledger.
type Issued struct {
	Host             string
	Period           period.Period
	ClosedOn         time.Time
	Payable          decimal.Decimal // as issued, prior adjustments included
	PriorAdjustments decimal.Decimal
	DueDate          *time.Time
	Adjustments      []Adjustment
}

// Adjustment is one prior-period adjustment line as issued.
type Adjustment struct {
	Period     string `json:"period"`
	Settled    string `json:"settled"`
	Restated   string `json:"restated"`
	Adjustment string `json:"adjustment"`
}

// issuedDoc reads the fields of a stored settlement that Issued needs.
type issuedDoc struct {
	Host             string       `json:"host"`
	Period           string       `json:"period"`
	Payable          string       `json:"payable"`
	PriorAdjustments *string      `json:"prior_adjustments"`
	DueDate          *string      `json:"due_date"`
	Adjustments      []Adjustment `json:"adjustments"`
}

// Aggregate returns the input's sums as an aggregate.
func (in *Input) Aggregate() (*settle.Aggregate, error) {
	agg := &settle.Aggregate{}
	for i, s := range in.Sums {
		var v [6]decimal.Decimal
		for j, txt := range []string{s.Gross, s.Refunds, s.Taxes, s.Fees, s.Credits, s.Units} {
			d, err := decimal.NewFromString(txt)
			if err != nil {
				return nil, fmt.Errorf("input %s: sum %d: %q is not an amount", in.Path, i+1, txt)
			}
			v[j] = d
		}
		agg.Add(settle.Key{Host: s.Host, Product: s.Product, Currency: s.Currency, Date: s.Date},
			settle.Sums{Rows: s.Rows, Gross: v[0], Refunds: v[1], Taxes: v[2], Fees: v[3], Credits: v[4], Units: v[5]})
	}
	return agg, nil
}

// SumsOf renders an aggregate as an input's sums.
func SumsOf(agg *settle.Aggregate) []Sum {
	out := []Sum{}
	for _, k := range agg.Keys() {
		s := agg.Sums(k)
		out = append(out, Sum{Host: k.Host, Product: k.Product, Currency: k.Currency, Date: k.Date, Rows: s.Rows,
			Gross: s.Gross.String(), Refunds: s.Refunds.String(), Taxes: s.Taxes.String(), Fees: s.Fees.String(),
			Credits: s.Credits.String(), Units: s.Units.String()})
	}
	return out
}

// PeriodOf parses the entry's period.
func (e *Entry) PeriodOf() period.Period {
	p, _ := period.Parse(e.Period)
	return p
}

// ClosedDate parses the entry's close date.
func (e *Entry) ClosedDate() time.Time {
	d, _ := period.ParseDate(e.ClosedOn)
	return d
}

// File is the path the entry was read from ("" for a new entry).
func (e *Entry) File() string { return e.file }

// Digest is the sha256 of the entry's file: the next entry's Prev.
func (e *Entry) Digest() string { return e.digest }

// Issued returns the entry's settlements as issued, hosts by id.
func (e *Entry) Issued() []Issued { return e.issued }

// marshal renders the entry canonically: two-space indent, final newline.
func (e *Entry) marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// seal sets SHA256 and returns the bytes to store.
func (e *Entry) seal() ([]byte, error) {
	e.SHA256 = ""
	body, err := e.marshal()
	if err != nil {
		return nil, err
	}
	e.SHA256 = digest(body)
	return e.marshal()
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// parse reads an entry from its file's bytes and checks that they are the
// entry's canonical form with a matching SHA256: any edit of a byte shows.
func parse(file string, data []byte) (*Entry, error) {
	e := &Entry{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		return nil, fmt.Errorf("not a ledger entry: %v", err)
	}
	e.file, e.digest = file, digest(data)
	if e.Schema != Schema {
		return nil, fmt.Errorf("schema %q, want %q", e.Schema, Schema)
	}
	if _, err := period.Parse(e.Period); err != nil {
		return nil, fmt.Errorf("period: %v", err)
	}
	closed, err := period.ParseDate(e.ClosedOn)
	if err != nil {
		return nil, fmt.Errorf("closed_on: %v", err)
	}
	var docs []issuedDoc
	if err := json.Unmarshal(e.Settlements, &docs); err != nil {
		return nil, fmt.Errorf("settlements: %v", err)
	}
	for _, d := range docs {
		is := Issued{Host: d.Host, ClosedOn: closed, Adjustments: d.Adjustments}
		if is.Period, err = period.Parse(d.Period); err != nil {
			return nil, fmt.Errorf("settlement %s: %v", d.Host, err)
		}
		if is.Payable, err = decimal.NewFromString(d.Payable); err != nil {
			return nil, fmt.Errorf("settlement %s: payable %q", d.Host, d.Payable)
		}
		if d.PriorAdjustments != nil {
			if is.PriorAdjustments, err = decimal.NewFromString(*d.PriorAdjustments); err != nil {
				return nil, fmt.Errorf("settlement %s: prior_adjustments %q", d.Host, *d.PriorAdjustments)
			}
		}
		if d.DueDate != nil {
			t, err := period.ParseDate(*d.DueDate)
			if err != nil {
				return nil, fmt.Errorf("settlement %s: due_date: %v", d.Host, err)
			}
			is.DueDate = &t
		}
		e.issued = append(e.issued, is)
	}
	return e, nil
}

// intact reports whether the entry's bytes are its canonical form sealed
// with a matching SHA256.
func (e *Entry) intact(data []byte) error {
	sum := e.SHA256
	e.SHA256 = ""
	body, err := e.marshal()
	e.SHA256 = sum
	if err != nil {
		return err
	}
	if digest(body) != sum {
		return fmt.Errorf("its sha256 does not match its content (edited)")
	}
	canon, err := e.marshal()
	if err != nil {
		return err
	}
	if !bytes.Equal(canon, data) {
		return fmt.Errorf("it is not as written (edited layout)")
	}
	return nil
}
