package settle

import (
	"path/filepath"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

// runFiles settles the named files (of files, in memory) and returns the
// result or the error.
func runFiles(t *testing.T, ag *agreement.Agreement, files map[string]string, names ...string) (*Result, error) {
	t.Helper()
	ps, err := period.Span("2025-Q1..2026-Q2", ag.Period)
	if err != nil {
		t.Fatal(err)
	}
	return Run(Options{Agreement: ag, Periods: ps, Files: memFiles(files)}, names)
}

// TestSplitAndDuplicate: the same rows settle to the same figures in one
// file or split across two (SPEC 5), while one report given twice — by the
// same name, another spelling of its path, or a copy — is refused, naming
// both (SPEC 8), instead of doubling every payable.
func TestSplitAndDuplicate(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ag, err := agreement.Decode("agreement.yaml", []byte(genAgreement(rt)))
		if err != nil {
			rt.Fatalf("agreement: %v", err)
		}
		rows := genRows(rt)
		whole := toCSV(rows)
		cut := rapid.IntRange(0, len(rows)).Draw(rt, "cut")
		a, b := toCSV(rows[:cut]), toCSV(rows[cut:])
		files := map[string]string{"whole.csv": whole, "a.csv": a, "b.csv": b, "copy.csv": whole}

		one, err := runFiles(t, ag, files, "whole.csv")
		if err != nil {
			rt.Fatalf("one file: %v", err)
		}
		two, err := runFiles(t, ag, files, "a.csv", "b.csv")
		switch {
		case a == b:
			if err == nil || !strings.Contains(err.Error(), "same content as") {
				rt.Fatalf("two parts with the same bytes: got %v, want a refusal", err)
			}
		case err != nil:
			rt.Fatalf("two files: %v", err)
		case fingerprint(one) != fingerprint(two):
			rt.Fatalf("split across two files:\n%s\nvs one file:\n%s", fingerprint(two), fingerprint(one))
		}

		for _, names := range [][2]string{
			{"whole.csv", "whole.csv"},
			{"whole.csv", "./sub/../whole.csv"},
			{"whole.csv", "copy.csv"},
		} {
			res, err := runFiles(t, ag, files, names[0], names[1])
			if err == nil {
				rt.Fatalf("%s given with %s: settled (%d settlements), want a refusal", names[1], names[0], len(res.Settlements))
			}
			msg := err.Error()
			if !strings.Contains(msg, filepath.Base(names[0])) || !strings.Contains(msg, names[1][strings.LastIndex(names[1], "/")+1:]) {
				rt.Fatalf("refusal does not name both files: %s", msg)
			}
		}
	})
}

// TestValidateRefusesDuplicates: validate refuses a duplicate as settle does.
func TestValidateRefusesDuplicates(t *testing.T) {
	opts := inMemory(t, map[string]string{"agreement.yaml": rowsAgreement, "fx.csv": "date,currency,rate\n2025-01-01,EUR,1.1\n",
		"q1.csv": "date,host,product,gross\n2025-01-05,aws,llama-3,10.00\n", "copy.csv": "date,host,product,gross\n2025-01-05,aws,llama-3,10.00\n"})
	_, err := Validate(opts, []string{"q1.csv", "copy.csv"})
	if err == nil || !strings.Contains(err.Error(), "copy.csv: same content as q1.csv") {
		t.Fatalf("got %v", err)
	}
	_, err = Validate(opts, []string{"q1.csv", "./q1.csv"})
	if err == nil || !strings.Contains(err.Error(), "./q1.csv: input given twice (also as q1.csv)") {
		t.Fatalf("got %v", err)
	}
}
