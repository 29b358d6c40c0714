// Package revenue reads revenue reports: canonical CSV and the partner
// formats of the agreement, row by row, with every bad row accounted for.
package ingest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

// Row is one decoded revenue row, in the report's own currency.
type Row struct {
	Line     int             // physical line of the row's first byte (1-based)
	Date     time.Time       // the row's day; for a row with only a period label, that label's last day
	Period   period.Period   // the settlement period the row belongs to
	Host     *agreement.Host // resolved from the host column, or fixed by the format
	Product  string          // trimmed, lower-cased, renamed by the format's products map
	Currency string          // ISO 4217; the settlement currency when the column is absent or empty
	Gross    decimal.Decimal
	Refunds  decimal.Decimal
	Taxes    decimal.Decimal
	Fees     decimal.Decimal
	Credits  decimal.Decimal
	Units    decimal.Decimal
	Fields   []string // the raw fields as read; valid only during the row callback

	// Ignored is set on a ledger row whose kind maps to `ignore`: a good
	// row, read and settled, with every amount zero.
	Ignored bool

	dec *decoder // the file's header, for Column
}

// Header returns the header record of the row's file as read, and its
// delimiter (for a rejects file).
func (r *Row) Header() ([]string, rune) {
	if r.dec == nil {
		return nil, ','
	}
	return r.dec.raw, r.dec.l.delim
}

// Column returns the header, as written in the row's file, of the canonical
// field (date, period, host, product, currency, gross, refunds, taxes, fees,
// credits, units, region); for a ledger format's figures it is the amount
// column. It returns field itself when the file has no such column.
func (r *Row) Column(field string) string {
	if r.dec != nil {
		if i := fieldIndex(field); i >= 0 {
			if c := r.dec.figureCol(i); c >= 0 {
				return r.dec.header[c]
			}
		}
	}
	return field
}

// BadRow is a row that cannot be settled, with the reason and its fields as read.
type BadRow struct {
	Path   string
	Line   int
	Column string // the column at fault, or ""
	Reason string
	Fields []string
	// Header is the file's header record as read, and Comma its
	// delimiter: a rejects file writes bad rows under the header they
	// came with, so that fixed rows can be fed back as they are.
	Header []string
	Comma  rune
}

// Input describes one input file after reading.
type Input struct {
	Path   string // as given ("-" for standard input)
	SHA256 string // hex digest of the file's bytes as stored (before gunzip)
	Format string // "canonical" or a declared format's name
	Rows   int    // data rows read (header, skipped lines and footers excluded)
}
