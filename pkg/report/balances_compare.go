package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/limits"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// ReadBalancesDocument reads a JSON result written by `balances -o json`.
func ReadBalancesDocument(path string) (*BalancesDocument, error) {
	return ReadBalancesDocumentIn("", path)
}

// ReadBalancesDocumentIn is ReadBalancesDocument with a relative path
// taken from the folder dir; messages name path as given.
func ReadBalancesDocumentIn(dir workdir.Dir, path string) (*BalancesDocument, error) {
	data, err := limits.ReadFile(dir, path, limits.Expect, "an expected result")
	if err != nil {
		return nil, diag.Problem{Path: path, Msg: "cannot read expected result: " + workdir.Cause(err).Error()}
	}
	var doc BalancesDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, diag.Problem{Path: path, Msg: "not a llamashare balances result: " + err.Error()}
	}
	if doc.Schema != BalancesSchemaV1 {
		return nil, diag.Problem{Path: path, Msg: fmt.Sprintf("schema %q is not %s", doc.Schema, BalancesSchemaV1)}
	}
	return &doc, nil
}

// CompareBalances lists the differences of got from want: the as-of date
// and currency, every host's figures, statements (by period) and payments
// (in order), and the totals. As for settlements (SPEC 7), the tool,
// agreement, ledger and payments files' metadata are not compared.
func CompareBalances(want, got *BalancesDocument) []Diff {
	var diffs []Diff
	if want.AsOf != got.AsOf {
		diffs = append(diffs, Diff{Where: "balances", Field: "as_of", Want: want.AsOf, Got: got.AsOf})
	}
	if want.Currency != got.Currency {
		diffs = append(diffs, Diff{Where: "balances", Field: "currency", Want: want.Currency, Got: got.Currency})
	}
	gotBy := map[string]HostBalance{}
	for _, h := range got.Hosts {
		gotBy[h.Host] = h
	}
	seen := map[string]bool{}
	for _, w := range want.Hosts {
		seen[w.Host] = true
		g, ok := gotBy[w.Host]
		if !ok {
			diffs = append(diffs, Diff{Where: w.Host, Want: "a balance", Got: "none"})
			continue
		}
		diffs = append(diffs, compareFields(w.Host, w, g)...)
		gotSt := map[string]StatementBalance{}
		for _, s := range g.Statements {
			gotSt[s.Period] = s
		}
		stSeen := map[string]bool{}
		for _, ws := range w.Statements {
			stSeen[ws.Period] = true
			where := w.Host + " " + ws.Period
			gs, ok := gotSt[ws.Period]
			if !ok {
				diffs = append(diffs, Diff{Where: where, Want: "a statement", Got: "none"})
				continue
			}
			diffs = append(diffs, compareFields(where, ws, gs)...)
		}
		for _, gs := range g.Statements {
			if !stSeen[gs.Period] {
				diffs = append(diffs, Diff{Where: w.Host + " " + gs.Period, Want: "no statement", Got: "a statement"})
			}
		}
		for i := 0; i < len(w.Payments) || i < len(g.Payments); i++ {
			where := fmt.Sprintf("%s payment %d", w.Host, i+1)
			switch {
			case i >= len(g.Payments):
				diffs = append(diffs, Diff{Where: where, Want: "a payment", Got: "none"})
			case i >= len(w.Payments):
				diffs = append(diffs, Diff{Where: where, Want: "no payment", Got: "a payment"})
			default:
				diffs = append(diffs, compareFields(where, w.Payments[i], g.Payments[i], "file", "line")...)
			}
		}
	}
	for _, g := range got.Hosts {
		if !seen[g.Host] {
			diffs = append(diffs, Diff{Where: g.Host, Want: "no balance", Got: "a balance"})
		}
	}
	return append(diffs, compareFields("totals", want.Totals, got.Totals)...)
}

// compareFields compares the scalar fields of two values of one type as
// their JSON shows them (nested objects as "aging.31-60"; lists and the
// fields named in skip are left out).
func compareFields(where string, want, got any, skip ...string) []Diff {
	w, g := flatJSON(want), flatJSON(got)
	for _, k := range skip {
		delete(w, k)
	}
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var diffs []Diff
	for _, k := range keys {
		if w[k] != g[k] {
			diffs = append(diffs, Diff{Where: where, Field: k, Want: w[k], Got: g[k]})
		}
	}
	return diffs
}

func flatJSON(v any) map[string]string {
	data, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	out := map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, x := range m {
			switch x := x.(type) {
			case map[string]any:
				walk(prefix+k+".", x)
			case []any:
			case nil:
				out[prefix+k] = ""
			default:
				out[prefix+k] = fmt.Sprint(x)
			}
		}
	}
	walk("", m)
	return out
}
