package cli

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/report"
)

// settleOpts holds the flags of `settle`.
type settleOpts struct {
	g      *globals
	files  []string
	output string
	out    string
	lines  bool
	expect string
}

var outputFormats = []string{"table", "csv", "json", "md", "xlsx"}

func newSettleCmd(g *globals) *cobra.Command {
	o := &settleOpts{g: g}
	cmd := &cobra.Command{
		Use:   "settle [flags] [FILE...]",
		Short: "Settle the revenue in FILEs under the agreement",
		Long: `Settle reads revenue reports (CSV; - is standard input, *.gz is
decompressed) and prints each host's settlement for the requested periods.

Requested periods default to every period from the earliest to the latest
found in the inputs. Rows after the last requested period, and rows of hosts
that --host did not select, are counted as outside; a reconciliation of the
rows read is printed on stderr.`,
		Example: `  llamashare settle -a agreement.yaml q1.csv
  llamashare settle -p 2025-Q1..2025-Q2 -o json --out q1.json reports/*.csv
  llamashare settle --host aws --lines q1.csv`,
		Annotations: map[string]string{exitsDiff: "the result differs from --expect's"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			o.output = g.str("output")
			o.out = g.path("out")
			o.lines = g.v.GetBool("lines")
			o.expect = g.path("expect")
			return runSettle(o)
		},
	}
	addInputFlags(cmd, g)
	f := cmd.Flags()
	f.StringP("output", "o", "", "output `FORMAT`: "+strings.Join(outputFormats, "|")+" (default table, or from --out's extension)")
	f.String("out", "", "write the result to `PATH` instead of stdout (atomically)")
	f.Bool("lines", false, "include the per-rule share lines (table, csv, md)")
	rejectsFlag(cmd)
	f.String("expect", "", "compare with an earlier -o json result in `FILE`; exit 1 if they differ")
	strictFlag(cmd)
	ledgerFlags(cmd)
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(outputFormats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("out", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		if o, _ := cmd.Flags().GetString("output"); o != "" && o != "table" {
			return []string{o}, cobra.ShellCompDirectiveFilterFileExt
		}
		return []string{"csv", "json", "md", "xlsx"}, cobra.ShellCompDirectiveFilterFileExt
	})
	_ = cmd.RegisterFlagCompletionFunc("expect", fileExt("json"))
	return cmd
}

// extFormats are the output formats --out's extension picks.
var extFormats = map[string]string{".csv": "csv", ".json": "json", ".md": "md", ".xlsx": "xlsx"}

// outputFormat decides the output format from -o and --out's extension.
func (o *settleOpts) outputFormat() (string, error) {
	format := o.output
	byExt := extFormats[strings.ToLower(filepath.Ext(o.out))]
	if byExt != "" && (format == "" || o.g.origin("output") != fromFlag) {
		// --out's extension, on the command line, beats an output format
		// from the environment or a config file.
		format = byExt
	}
	if format == "" {
		format = "table"
	}
	for _, f := range outputFormats {
		if f == format {
			if f == "xlsx" && o.out == "" {
				return "", o.g.settingError("output", f, "needs --out FILE (a spreadsheet is not written to the terminal)", "")
			}
			if byExt != "" && byExt != format {
				// -o csv --out r.json would write CSV into a .json file.
				return "", o.g.settingError("output", format, fmt.Sprintf("does not match --out %s, whose extension means %s", o.out, byExt),
					fmt.Sprintf("drop -o to write %s, or name the file *.%s", byExt, format))
			}
			return format, nil
		}
	}
	return "", o.g.settingError("output", format, "unknown output format (want "+strings.Join(outputFormats, ", ")+")", didYouMean(format, outputFormats))
}

func runSettle(o *settleOpts) error {
	format, err := o.outputFormat()
	if err != nil {
		return err
	}
	var want *report.Document
	if o.expect != "" {
		// Read first: an unreadable expectation fails before any output.
		if want, err = report.ReadDocumentIn(o.g.io.dir(), o.expect); err != nil {
			return err
		}
	}
	ag, opts, err := o.g.prepare(o.files, "settle")
	if err != nil {
		return err
	}
	opts.Lean = true // the outputs and --expect show figures and lines only
	// Open the outputs before reading anything: an output that is an
	// input, or the same file as the other output, is refused, and an
	// unwritable --out or --rejects fails at once, not after a long run.
	set := o.g.outputSet(ag, o.files)
	defer set.Abort()
	var out *atomicfile.File
	if o.out != "" {
		if out, err = set.Create("--out", o.out); err != nil {
			return err
		}
	}
	res, rejects, err := o.g.settleRejecting(set, opts, o.files)
	if err != nil {
		return err
	}
	printReconciliation(o.g.io.ErrOut, res)
	if err := o.g.strictErr(); err != nil {
		return err
	}
	if rejects != nil {
		fmt.Fprintln(o.g.io.ErrOut, rejects.written())
	}
	write, err := o.renderer(format, report.ResultStream(res, Version()), ag.Rounding.Scale)
	if err != nil {
		return err
	}
	if err := o.g.strictErr(); err != nil {
		return err // the rendering warned (an amount Excel cannot hold)
	}
	if err := o.g.land(set, out, rejects, write); err != nil {
		return err
	}
	if want != nil {
		return expect(o.g.io.ErrOut, o.expect, want, report.Build(res, Version()), o.g.strict())
	}
	return nil
}

// expect compares doc with want, read from path, printing one line per
// difference on stderr. Provenance changes (agreement, fx rates, inputs)
// are notes; under strict a changed sha256 is a difference (SPEC 8).
func expect(stderr io.Writer, path string, want, doc *report.Document, strict bool) error {
	diffs := report.Compare(want, doc)
	lines := make([]string, 0, len(diffs))
	for _, d := range diffs {
		lines = append(lines, d.String())
	}
	notes := 0
	for _, c := range report.Provenance(want, doc) {
		if strict && c.Hash {
			lines = append(lines, c.String())
			continue
		}
		fmt.Fprintln(stderr, "note: "+c.String())
		notes++
	}
	for _, l := range lines {
		fmt.Fprintln(stderr, l)
	}
	if len(lines) > 0 {
		fmt.Fprintf(stderr, "%s from %s\n", count(len(lines), "difference"), path)
		return &DiffError{Count: len(lines)}
	}
	if notes > 0 {
		fmt.Fprintf(stderr, "matches %s in settlements and totals; its provenance differs (notes above)\n", path)
		return nil
	}
	fmt.Fprintf(stderr, "matches %s\n", path)
	return nil
}

// renderer returns what writes the result in format. JSON, CSV and the
// table for a pipe or file stream from the result as they are written (a
// settlement, a line at a time), so they fail only in writing; Markdown,
// XLSX and the table for a terminal are rendered here, before anything
// lands.
func (o *settleOpts) renderer(format string, s *report.Stream, scale int32) (func(io.Writer) error, error) {
	tty := (o.out == "" || o.out == "-") && o.g.io.StdoutTTY
	switch {
	case format == "json":
		return func(w io.Writer) error { return report.WriteJSONStream(w, s) }, nil
	case format == "csv":
		return func(w io.Writer) error { return report.WriteCSVStream(w, s, o.lines) }, nil
	case format != "md" && format != "xlsx" && !tty:
		return func(w io.Writer) error { return report.WriteTableStream(w, s, scale, o.lines) }, nil
	}
	doc := s.Document()
	var buf bytes.Buffer
	var err error
	switch format {
	case "md":
		err = report.WriteMarkdown(&buf, doc, scale, o.lines)
	case "xlsx":
		err = report.WriteXLSXWarn(&buf, doc, scale, o.g.warn)
	default:
		err = report.WriteTableTerm(&buf, doc, scale, o.lines, report.TermOptions{Width: o.g.io.Columns, Color: o.g.io.ColorEnabled()})
	}
	if err != nil {
		return nil, err
	}
	return func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	}, nil
}
