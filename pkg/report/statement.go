package report

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/shopspring/decimal"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/atomicfile"
	"github.com/llamashare/llamashare/pkg/money"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/settle"
)

// Statement is one host's statement for one period, ready to send: the
// settlement's figures as text for people (thousands separators, signs on
// adjustments) and what the agreement says about them. The HTML and
// Markdown renderings show the same content.
type Statement struct {
	Licensor        string // "" when the agreement names none
	AgreementName   string // "" when the agreement names none
	AgreementPath   string
	AgreementSHA256 string
	Tool            string // "llamashare v1.2.3"
	Rounding        string // "half-up to 2 decimal places"

	HostID, HostName               string
	Period, PeriodStart, PeriodEnd string
	Currency                       string
	Terms                          string // "version from 2025-Q1, open-ended"

	Revenue []Figure // gross, the four deductible figures, and the basis last
	// Currencies: the revenue by original currency and its conversion,
	// one line per currency other than the settlement currency.
	Currencies []CurrencyLine
	Lines      []StatementLine
	Units      bool   // some line is priced per unit: show the units column
	Bands      bool   // some line is a tier band: show the band column
	Share      string // the sum of the lines

	// Adjustments lead from the share to the amount owed (a subtotal),
	// then carry out what is not paid now.
	Adjustments []Figure
	Payable     string
	Paid        bool   // payable > 0
	DueDate     string // "" when nothing is payable
	CarriedOut  string
	DueDays     int
	Threshold   string

	Inputs []FileRef
	FX     *FXRef // the fx rates file; nil when the agreement has none

	Chart   *Chart       // the host's recent periods (statement_chart.go)
	Account *AccountView // with --payments: the statement of account (statement_account.go)

	// Ledger runs only (SPEC 9): the prior-period adjustments.
	Ledger     bool
	Prior      []PriorLine
	PriorTotal string
}

// Figure is one labelled amount; Note explains it. Sub marks a subtotal,
// Muted a figure shown for information that does not change the result.
type Figure struct {
	Label  string
	Amount string
	Note   string
	Sub    bool
	Muted  bool
}

// StatementLine is one share line of a statement.
type StatementLine struct {
	Rule    string
	Product string // "all products" for a rule-scoped tier line
	Band    string // "1: up to 10,000,000.00"; "" without tiers
	Basis   string
	Units   string
	Rate    string // "12.5%" or "0.02 per 1,000,000 units"
	Share   string
	Note    string // "below de minimis 10,000.00: no share"
}

// Name returns the statement's file name without extension, relative to
// the statements folder: <period>/<host>.
func (s *Statement) Name() string { return s.Period + "/" + s.HostID }

// Title is the statement's heading line.
func (s *Statement) Title() string {
	return fmt.Sprintf("Revenue share statement %s: %s", s.Period, s.HostName)
}

// BuildStatements makes one statement per settlement of res, in the
// result's order (hosts by id, then periods). version is the tool's version.
func BuildStatements(res *settle.Result, version string) []*Statement {
	var out []*Statement
	for _, s := range res.Settlements {
		out = append(out, buildStatement(res, s, version))
	}
	addCharts(out, res, historyOf(res))
	return out
}

// buildStatement is the statement of one settlement of res.
func buildStatement(res *settle.Result, s *settle.Settlement, version string) *Statement {
	ag := res.Agreement
	r := ag.Rounding
	g := func(d decimal.Decimal) string { return money.Group(d, r.Scale) }
	t := s.Terms
	st := &Statement{
		Licensor: ag.Licensor, AgreementName: ag.Name, AgreementPath: ag.Path, AgreementSHA256: ag.SHA256,
		Tool:     "llamashare " + version,
		Rounding: fmt.Sprintf("%s to %d decimal places", r.Mode, r.Scale),
		HostID:   s.Host.ID, HostName: s.Host.DisplayName(),
		Period: s.Period.String(), PeriodStart: period.FormatDate(s.Period.Start()),
		PeriodEnd: period.FormatDate(s.Period.End()), Currency: ag.Currency,
		Share: g(s.Share), Payable: g(s.Payable), Paid: s.Payable.Sign() > 0,
		CarriedOut: g(s.CarriedOut), Inputs: statementInputs(res), FX: fxRef(res.FX),
		Currencies: currencyLines(s, g),
		Revenue:    revenueFigures(s, g),
	}
	if t != nil {
		to := "open-ended"
		if !t.To.IsZero() {
			to = "to " + t.To.String()
		}
		st.Terms = fmt.Sprintf("version from %s, %s", t.From, to)
		st.DueDays = t.Payout.DueDays
		st.Threshold = g(t.Payout.Threshold)
	}
	if s.DueDate != nil {
		st.DueDate = period.FormatDate(*s.DueDate)
	}
	for _, l := range s.Lines {
		st.Lines = append(st.Lines, statementLine(s, l, g))
		if l.Price != nil {
			st.Units = true
		}
		if l.Band > 0 {
			st.Bands = true
		}
	}
	st.Adjustments = adjustmentFigures(s, g)
	ledgerFigures(st, s, g)
	return st
}

// statementInputs are the input files of res with their sha256.
func statementInputs(res *settle.Result) []FileRef {
	var inputs []FileRef
	for _, in := range res.Inputs {
		inputs = append(inputs, FileRef{Path: in.Path, SHA256: in.SHA256})
	}
	return inputs
}

// fxRef is the fx rates file a result was converted with; nil without.
func fxRef(fx *settle.FXSource) *FXRef {
	if fx == nil {
		return nil
	}
	return &FXRef{Path: fx.Path, SHA256: fx.SHA256, Method: fx.Method}
}

func statementLine(s *settle.Settlement, l settle.Line, g func(decimal.Decimal) string) StatementLine {
	rule := l.Rule
	sl := StatementLine{Rule: rule.Name, Product: l.Product, Basis: g(l.Basis), Share: g(l.Share)}
	if l.Product == "*" {
		sl.Product = "all products"
	}
	if l.Price != nil {
		sl.Units = money.GroupPlain(l.Units)
		per := decimal.NewFromInt(1)
		if rule.PerUnit != nil {
			per = rule.PerUnit.Per
		}
		sl.Rate = perUnitText(*l.Price, per)
	} else if l.Rate != nil {
		sl.Rate = l.Rate.String()
	}
	if l.Band > 0 && rule.Tiers != nil && l.Band <= len(rule.Tiers.Bands) {
		sl.Band = bandText(rule.Tiers, l.Band)
	}
	for _, sc := range s.Trace.Scopes {
		if sc.Rule == rule && (sc.Product == l.Product || sc.Product == "*") && sc.DeMinimis && rule.DeMinimis != nil {
			sl.Note = fmt.Sprintf("below de minimis %s: no share", money.Group(*rule.DeMinimis, max(-rule.DeMinimis.Exponent(), 0)))
		}
	}
	return sl
}

// perUnitText shows a per-unit price with its divisor, the same in every
// format for people: "0.02 per 1,000,000 units".
func perUnitText(price, per decimal.Decimal) string {
	return fmt.Sprintf("%s per %s units", price.String(), money.GroupPlain(per))
}

// bandText describes band k (1-based): "1: up to 10,000,000", "2: above 10,000,000".
func bandText(t *agreement.Tiers, k int) string {
	b := t.Bands[k-1]
	num := func(d decimal.Decimal) string { return money.Group(d, max(-d.Exponent(), 0)) }
	switch {
	case b.UpTo != nil && k == 1:
		return fmt.Sprintf("%d: up to %s", k, num(*b.UpTo))
	case b.UpTo != nil:
		return fmt.Sprintf("%d: %s to %s", k, num(*t.Bands[k-2].UpTo), num(*b.UpTo))
	case k > 1:
		return fmt.Sprintf("%d: above %s", k, num(*t.Bands[k-2].UpTo))
	}
	return fmt.Sprint(k)
}

// StatementFile is one rendered statement file, named relative to the
// statements folder with forward slashes.
type StatementFile struct {
	Name string
	Data []byte
}

// RenderStatements renders every statement as HTML and Markdown, in
// memory: a failure leaves nothing half-written.
func RenderStatements(sts []*Statement) ([]StatementFile, error) {
	var files []StatementFile
	for _, st := range sts {
		var h, m bytes.Buffer
		if err := WriteStatementHTML(&h, st); err != nil {
			return nil, fmt.Errorf("statement %s: %v", st.Name(), err)
		}
		if err := WriteStatementMarkdown(&m, st); err != nil {
			return nil, fmt.Errorf("statement %s: %v", st.Name(), err)
		}
		files = append(files, StatementFile{st.Name() + ".html", h.Bytes()}, StatementFile{st.Name() + ".md", m.Bytes()})
	}
	return files, nil
}

// WriteStatementFiles writes files under dir, creating folders as needed,
// all or none (StageStatementFiles, then the set's Commit).
func WriteStatementFiles(dir string, files []StatementFile) error {
	set := &atomicfile.Set{}
	if err := StageStatementFiles(set, dir, files); err != nil {
		set.Abort()
		return err
	}
	return set.Commit()
}

// StageStatementFiles adds files under dir to set, creating folders as
// needed (removed again when the set is aborted). Each file is written to
// a temporary file next to its place; set.Commit renames them all into
// place, or none: an I/O error (a full disk, a read-only folder) leaves
// no statement half-written and changes none. A file that would resolve
// outside dir (a period folder that is a link to elsewhere) is refused.
func StageStatementFiles(set *atomicfile.Set, dir string, files []StatementFile) error {
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := set.MkdirAll(filepath.Dir(path)); err != nil {
			return err
		}
		w, err := set.CreateIn(dir, "statement", path)
		if err != nil {
			return err
		}
		if _, err := w.Write(f.Data); err != nil {
			return err
		}
	}
	return nil
}

// LineColumns is how many columns the share lines table has before the
// share column: rule, product, [band,] basis, [units,] rate.
func (s *Statement) LineColumns() int {
	n := 4
	if s.Bands {
		n++
	}
	if s.Units {
		n++
	}
	return n
}
