package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/gocarina/gocsv"
	"pgregory.net/rapid"
)

// drawText draws strings that stress the splicing: the markers themselves,
// quotes, newlines, HTML characters and non-ASCII.
func drawText(t *rapid.T, label string) string {
	return rapid.SampledFrom([]string{"", "aws", "llama-4-*", `"lines": []`, "\n  \"settlements\": []", `a"b`, "<&>", "=1+2", "é€", "x,y"}).Draw(t, label)
}

func optText(t *rapid.T, label string) *string {
	if rapid.Bool().Draw(t, label+"?") {
		s := drawText(t, label)
		return &s
	}
	return nil
}

func drawDocument(t *rapid.T) *Document {
	doc := &Document{Schema: SchemaV1, Tool: Tool{Name: "llamashare", Version: drawText(t, "version")},
		Agreement: FileRef{Path: drawText(t, "path"), SHA256: "ab"}, Inputs: []InputDoc{}, Currency: "USD",
		Periods: []string{}, Settlements: []Settlement{}, Totals: Totals{Gross: "1.00", Share: drawText(t, "share")}}
	if rapid.Bool().Draw(t, "fx") {
		doc.FX = &FXRef{Path: drawText(t, "fx path"), Method: "daily"}
	}
	for range rapid.IntRange(0, 2).Draw(t, "inputs") {
		doc.Inputs = append(doc.Inputs, InputDoc{Path: drawText(t, "input"), Rows: 3})
	}
	for range rapid.IntRange(0, 4).Draw(t, "settlements") {
		s := Settlement{Host: drawText(t, "host"), Period: drawText(t, "period"), Gross: drawText(t, "gross"),
			DueDate: optText(t, "due"), Currencies: []CurrencyDoc{}, Lines: []Line{}}
		if rapid.Bool().Draw(t, "ledger") {
			s.PriorAdjustments = optText(t, "prior")
			adj := []Adjustment{}
			for range rapid.IntRange(0, 2).Draw(t, "adjustments") {
				adj = append(adj, Adjustment{Period: drawText(t, "adj period"), Adjustment: drawText(t, "adj")})
			}
			s.Adjustments = &adj
		}
		for range rapid.IntRange(0, 2).Draw(t, "currencies") {
			s.Currencies = append(s.Currencies, CurrencyDoc{Currency: drawText(t, "cur"), Rate: optText(t, "rate")})
		}
		for range rapid.IntRange(0, 4).Draw(t, "lines") {
			band := rapid.IntRange(1, 3).Draw(t, "band")
			l := Line{Rule: drawText(t, "rule"), Product: drawText(t, "product"), Basis: drawText(t, "basis"),
				Units: "7", Rate: optText(t, "line rate"), Price: optText(t, "price"), Share: drawText(t, "line share")}
			if rapid.Bool().Draw(t, "banded") {
				l.Band = &band
			}
			s.Lines = append(s.Lines, l)
		}
		doc.Settlements = append(doc.Settlements, s)
	}
	return doc
}

// The streamed JSON is byte for byte json.Encoder's indented document.
func TestWriteJSONStreamIsEncoders(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		doc := drawDocument(t)
		var want, got bytes.Buffer
		if err := encodeWhole(&want, doc); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&got, doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("streamed JSON differs:\n%s\nwant:\n%s", got.String(), want.String())
		}
	})
}

// wholeCSV is WriteCSV as it was before it streamed: gocsv over every
// line at once.
func wholeCSV(t *rapid.T, doc *Document, lines bool) []byte {
	var b bytes.Buffer
	if !lines {
		if err := writeCSVSummary(&b, doc); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	rows := []csvLine{}
	for _, s := range doc.Settlements {
		for _, l := range s.Lines {
			rows = append(rows, csvLineOf(&s, &l))
		}
	}
	if err := gocsv.MarshalCSV(&rows, gocsv.NewSafeCSVWriter(csv.NewWriter(&b))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The streamed CSV, with and without lines, is the CSV of the whole
// document.
func TestWriteCSVStreamIsWhole(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		doc := drawDocument(t)
		lines := rapid.Bool().Draw(t, "--lines")
		var got bytes.Buffer
		if err := WriteCSV(&got, doc, lines); err != nil {
			t.Fatal(err)
		}
		if want := wholeCSV(t, doc, lines); !bytes.Equal(want, got.Bytes()) {
			t.Fatalf("streamed CSV differs:\n%s\nwant:\n%s", got.String(), want)
		}
	})
}
