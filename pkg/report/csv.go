package report

import (
	"bufio"
	"encoding/csv"
	"io"

	"github.com/gocarina/gocsv"

	"github.com/llamashare/llamashare/pkg/textsafe"
)

// csvLine is one row of `-o csv --lines`.
type csvLine struct {
	Host    string `csv:"host"`
	Period  string `csv:"period"`
	Rule    string `csv:"rule"`
	Product string `csv:"product"`
	Band    string `csv:"band"`
	Basis   string `csv:"basis"`
	Units   string `csv:"units"`
	Rate    string `csv:"rate"`
	Price   string `csv:"price"`
	Per     string `csv:"per"`
	Share   string `csv:"share"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// WriteCSV writes one row per settlement, or with lines one row per line.
// Absent values (a null due date, rate or price) are empty cells. Text
// cells are neutralised against formula injection (textsafe.CSVCell).
func WriteCSV(w io.Writer, doc *Document, lines bool) error {
	return WriteCSVStream(w, DocumentStream(doc), lines)
}

// WriteCSVStream writes WriteCSV's bytes for the document of s: its lines
// a settlement at a time through a buffered writer.
func WriteCSVStream(w io.Writer, s *Stream, lines bool) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var err error
	if lines {
		err = writeCSVLines(bw, s)
	} else {
		err = writeCSVSummary(bw, s.summary())
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// csvLineOf is the CSV row of a share line of settlement s.
func csvLineOf(s *Settlement, l *Line) csvLine {
	return csvLine{Host: textsafe.CSVCell(s.Host), Period: s.Period, Rule: textsafe.CSVCell(l.Rule), Product: textsafe.CSVCell(l.Product),
		Band: optInt(l.Band), Basis: l.Basis, Units: l.Units, Rate: str(l.Rate), Price: str(l.Price), Per: str(l.Per), Share: l.Share}
}

// writeCSVLines writes the header, then each settlement's lines.
func writeCSVLines(w io.Writer, s *Stream) error {
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(w))
	rows := []csvLine{}
	for i := 0; i < s.Len || i == 0; i++ {
		rows = rows[:0]
		if i < s.Len {
			st := s.At(i)
			err := s.Lines(i, func(l *Line) error {
				rows = append(rows, csvLineOf(&st, l))
				return nil
			})
			if err != nil {
				return err
			}
		}
		marshal := gocsv.MarshalCSVWithoutHeaders
		if i == 0 {
			marshal = gocsv.MarshalCSV
		}
		if err := marshal(&rows, cw); err != nil {
			return err
		}
	}
	return nil
}

// writeCSVSummary writes one row per settlement, the fields of
// settlementFields in order (fieldsOf: prior_adjustments too in a ledger
// run); no totals row: a CSV is read by programs, which sum what they need.
func writeCSVSummary(w io.Writer, doc *Document) error {
	fields := fieldsOf(doc)
	header := make([]string, len(fields))
	for i, f := range fields {
		header[i] = f.key
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range doc.Settlements {
		if err := cw.Write(textsafe.CSVRecord(fieldRow(fields, &doc.Settlements[i]))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
