package main

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// record is one generated row before it is laid out.
type record struct {
	date                            time.Time
	label                           string // date as YYYY-MM-DD
	host, product, region, currency string
	minor                           [5]int64 // gross, refunds, taxes, fees, credits in minor units
	scale                           int      // decimals of the currency
	units                           int64
	first                           bool // the first data row (line 2)
}

// layout writes records in one of the layouts the benchmark settles
// (issue 17): the canonical CSV, and partner layouts that
// testdata/bench/agreement.yaml declares as formats.
type layout struct {
	header string
	row    func(b []byte, r *record) []byte
}

var layouts = map[string]*layout{
	// The canonical CSV (SPEC 3).
	"canonical": {header, func(b []byte, r *record) []byte { return canonicalRow(b, r, false) }},
	// Every product quoted: "llama-4-scout".
	"quoted": {header, func(b []byte, r *record) []byte { return canonicalRow(b, r, true) }},
	// Only the first data row's product quoted.
	"quoted-line2": {header, func(b []byte, r *record) []byte { return canonicalRow(b, r, r.first) }},
	// `;`, decimal comma, DD.MM.YYYY (format "semicolon").
	"semicolon": {"Datum;Anbieter;Modell;Region;Waehrung;Brutto;Erstattungen;Steuern;Gebuehren;Gutschriften;Einheiten", semicolonRow},
	// One line per non-zero figure, its meaning in a kind column (format
	// "ledger"): about five lines per row.
	"ledger": {"invoice_date,host_id,product_id,currency,amount,transaction_type", ledgerRow},
}

func layoutNames() string {
	var names []string
	for n := range layouts {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func canonicalRow(b []byte, r *record, quote bool) []byte {
	b = append(b, r.label...)
	b = append(b, ',')
	b = append(b, r.host...)
	b = append(b, ',')
	if quote {
		b = append(b, '"')
		b = append(b, r.product...)
		b = append(b, '"')
	} else {
		b = append(b, r.product...)
	}
	b = append(b, ',')
	b = append(b, r.region...)
	b = append(b, ',')
	b = append(b, r.currency...)
	for _, v := range r.minor {
		b = append(b, ',')
		b = appendMinor(b, v, r.scale)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, r.units, 10)
	return append(b, '\n')
}

func semicolonRow(b []byte, r *record) []byte {
	b = r.date.AppendFormat(b, "02.01.2006")
	for _, f := range []string{r.host, r.product, r.region, r.currency} {
		b = append(b, ';')
		b = append(b, f...)
	}
	for _, v := range r.minor {
		b = append(b, ';')
		start := len(b)
		b = appendMinor(b, v, r.scale)
		for i := start; i < len(b); i++ {
			if b[i] == '.' {
				b[i] = ','
			}
		}
	}
	b = append(b, ';')
	b = strconv.AppendInt(b, r.units, 10)
	return append(b, '\n')
}

// ledgerKinds name the figures in the ledger layout's kind column.
var ledgerKinds = [5]string{"SALE", "REFUND", "TAX", "FEE", "CREDIT"}

func ledgerRow(b []byte, r *record) []byte {
	line := func(amount []byte, kind string) {
		b = append(b, r.label...)
		for _, f := range []string{r.host, r.product, r.currency} {
			b = append(b, ',')
			b = append(b, f...)
		}
		b = append(b, ',')
		b = append(b, amount...)
		b = append(b, ',')
		b = append(b, kind...)
		b = append(b, '\n')
	}
	var num [24]byte
	for k, v := range r.minor {
		if v != 0 || k == 0 {
			line(appendMinor(num[:0], v, r.scale), ledgerKinds[k])
		}
	}
	line(strconv.AppendInt(num[:0], r.units, 10), "TOKENS")
	return b
}
