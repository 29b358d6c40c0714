package sqlgen_test

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/llamashare/llamashare/pkg/agreement"
)

// rawFile writes n generated raw rows in format name of a (canonical when
// name is ""), the way a partner would: its headers, date_format,
// delimiter, decimal comma, title lines, footers, ledger kinds, partner
// product ids, host aliases in any case, and every form of SPEC 3's amount
// grammar. It returns the file's path.
func rawFile(t *testing.T, dir string, a *agreement.Agreement, name string, n int, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 42))
	f := &agreement.Format{Name: "canonical", Columns: map[string]string{}}
	if name != "" {
		f = a.Formats[name]
	} else {
		for _, c := range []string{"date", "host", "product", "currency", "gross", "refunds", "taxes", "fees", "credits", "units"} {
			f.Columns[c] = c
		}
	}
	dec := byte('.')
	if f.Decimal != 0 {
		dec = f.Decimal
	}
	ext := ".csv"
	if f.Delimiter == '\t' {
		ext = ".tsv"
	}
	path := filepath.Join(dir, "raw-"+f.Name+ext)
	var b strings.Builder
	for i := 0; i < f.SkipLines; i++ {
		fmt.Fprintf(&b, "Report title line %d; generated\n", i+1)
	}
	w := csv.NewWriter(&b)
	if f.Delimiter != 0 {
		w.Comma = f.Delimiter
	}
	// The header: mapped columns in a shuffled order, and one nobody reads.
	type col struct{ field, header string }
	var cols []col
	for field, h := range f.Columns {
		if field == "host" && f.Host != "" {
			continue
		}
		cols = append(cols, col{field, h})
	}
	if f.Amount != "" {
		cols = append(cols, col{"amount", f.Amount}, col{"kind", f.Kind})
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].header < cols[j].header })
	rng.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	cols = append(cols, col{"note", "Note"})
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.header
	}
	must(t, w.Write(header))

	var partnerIDs []string
	for k := range f.Products {
		partnerIDs = append(partnerIDs, k)
	}
	sort.Strings(partnerIDs)
	products := []string{"llama-3.1-405b-instruct", "llama-3.3-70b-instruct", " Llama-4-Scout ", "llama-4-maverick"}
	var hostNames []string
	for _, h := range a.Hosts {
		hostNames = append(hostNames, h.ID, strings.ToUpper(h.ID))
		hostNames = append(hostNames, h.Aliases...)
	}
	var kinds []string
	for k := range f.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	start := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for r := 0; r < n; r++ {
		day := start.AddDate(0, 0, rng.IntN(15)*6)
		rec := make([]string, len(cols))
		for i, c := range cols {
			switch c.field {
			case "date":
				rec[i] = formatDate(rng, f.DateFormat, day)
			case "host":
				rec[i] = pick(rng, hostNames)
				if rng.IntN(4) == 0 {
					rec[i] = strings.ToLower(rec[i])
				}
			case "product":
				if len(partnerIDs) > 0 && rng.IntN(3) > 0 {
					rec[i] = pick(rng, partnerIDs)
					if rng.IntN(3) == 0 {
						rec[i] = strings.ToUpper(rec[i])
					}
				} else {
					rec[i] = pick(rng, products)
				}
			case "currency":
				rec[i] = pick(rng, []string{"USD", "USD", "usd", "EUR", "GBP", ""})
			case "units":
				rec[i] = amountText(rng, rng.Int64N(5_000_000_000), 0, dec)
			case "gross", "amount":
				rec[i] = amountText(rng, rng.Int64N(2_000_000_00)-rng.Int64N(100_000), rng.IntN(5), dec)
			case "kind":
				rec[i] = pick(rng, kinds)
				if rng.IntN(5) == 0 {
					rec[i] = strings.ToLower(rec[i])
				}
			case "note":
				rec[i] = pick(rng, []string{"", "free text, with a comma", `a "quoted" word`})
			default: // refunds, taxes, fees, credits
				if rng.IntN(4) == 0 {
					rec[i] = ""
					continue
				}
				v := rng.Int64N(500_000)
				if f.Negate != nil && contains(f.Negate, c.field) {
					v = -v
				}
				rec[i] = amountText(rng, v, 2, dec)
			}
		}
		must(t, w.Write(rec))
		if r == n/2 {
			must(t, w.Write(make([]string, len(cols)))) // a blank line of delimiters
		}
	}
	if f.IgnorePrefix != "" {
		w.Flush()
		// Footers: short rows whose first field carries the prefix.
		for _, s := range []string{"Rows", "Amount"} {
			rec := []string{f.IgnorePrefix + s, strconv.Itoa(n)}
			must(t, w.Write(rec))
		}
		if header[0] != cols[0].header {
			t.Fatal("header order")
		}
	}
	w.Flush()
	must(t, w.Error())
	must(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func pick(rng *rand.Rand, ss []string) string { return ss[rng.IntN(len(ss))] }

// amountText writes unscaled×10^-scale in one of SPEC 3's forms: plain,
// grouped, with a currency symbol, negative with a minus or parentheses,
// with dec as the decimal separator.
func amountText(rng *rand.Rand, unscaled int64, scale int, dec byte) string {
	neg := unscaled < 0
	if neg {
		unscaled = -unscaled
	}
	digits := strconv.FormatInt(unscaled, 10)
	for len(digits) <= scale {
		digits = "0" + digits
	}
	intPart, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	group := byte(',')
	if dec == ',' {
		group = '.'
	}
	if rng.IntN(2) == 0 && len(intPart) > 3 {
		var g []string
		for len(intPart) > 3 {
			g = append([]string{intPart[len(intPart)-3:]}, g...)
			intPart = intPart[:len(intPart)-3]
		}
		intPart = intPart + string(group) + strings.Join(g, string(group))
	}
	if intPart == "0" && frac != "" && rng.IntN(3) == 0 {
		intPart = "" // .70
	}
	s := intPart
	if frac != "" {
		s += string(dec) + frac
	}
	sym := ""
	if rng.IntN(3) == 0 {
		sym = pick(rng, []string{"$", "€", "£", "¥"})
	}
	switch {
	case neg && rng.IntN(2) == 0:
		return "(" + sym + s + ")"
	case neg:
		return "-" + sym + s
	}
	return sym + s
}

// formatDate writes day in a date_format, or the canonical way (a plain
// date or an RFC 3339 timestamp whose UTC date is day).
func formatDate(rng *rand.Rand, layout string, day time.Time) string {
	if layout == "" {
		switch rng.IntN(4) {
		case 0:
			return day.Add(13*time.Hour + 5*time.Minute).Format(time.RFC3339)
		case 1:
			return day.Add(23 * time.Hour).In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
		case 2:
			return day.Add(time.Hour).In(time.FixedZone("", 2*3600)).Format("2006-01-02T15:04:05.000-07:00")
		}
		return day.Format("2006-01-02")
	}
	r := strings.NewReplacer("YYYY", "2006", "MMM", "Jan", "MM", "01", "M", "1", "DD", "02", "D", "2")
	s := day.Format(r.Replace(layout))
	if strings.Contains(layout, "MMM") && rng.IntN(4) == 0 {
		s = strings.ToUpper(s)
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
