// Decoding of `formats`: how a partner's report is read.

package agreement

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/pkg/dateformat"
)

// formats decodes `formats`; hosts are the agreement's hosts, which a
// format's host must name by id.
func (d *decoder) formats(n *yaml.Node, hosts []*Host) map[string]*Format {
	pairs, ok := d.entries(n, "formats")
	if !ok {
		return nil
	}
	m := make(map[string]*Format, len(pairs))
	for _, p := range pairs {
		name := p.key.Value
		if strings.TrimSpace(name) == "" {
			d.errorf(p.key, "format name must not be empty")
			continue
		}
		if f := d.format(name, p.val, hosts); f != nil {
			m[name] = f
		}
	}
	return m
}

// format decodes one entry of `formats`.
func (d *decoder) format(name string, n *yaml.Node, hosts []*Host) *Format {
	what := fmt.Sprintf("format %q", name)
	o, ok := d.object(n, what, what, formatKeys, nil)
	if !ok {
		return nil
	}
	// Delimiter stays 0 when unset so that a .tsv file defaults to tab.
	f := &Format{Name: name, Decimal: '.'}
	if x := o.get("host"); x != nil {
		if s, ok := d.str(x, "host"); ok {
			f.Host = s
			d.checkFormatHost(x, s, hosts)
		}
	}
	if x := o.get("delimiter"); x != nil {
		if s, ok := d.str(x, "delimiter"); ok {
			if contains(delimiters, s) {
				f.Delimiter, _ = utf8.DecodeRuneInString(s)
			} else {
				d.errorf(x, "delimiter must be one of \",\", \";\", \"\\t\", \"|\", got %q", s)
			}
		}
	}
	columnsOK := d.formatColumns(o, f)
	d.formatSyntax(o, f)
	if x := o.get("negate"); x != nil {
		f.Negate = d.negate(x)
	}
	if x := o.get("products"); x != nil {
		f.Products = d.formatProducts(x)
	}
	d.ledger(o, n, what, f)
	if x := o.get("skip_lines"); x != nil {
		f.SkipLines, _ = d.count(x, "skip_lines")
	}
	if x := o.get("ignore_prefix"); x != nil {
		f.IgnorePrefix, _ = d.str(x, "ignore_prefix")
	}
	if x := o.get("ignore_columns"); x != nil {
		f.IgnoreColumns = d.ignoreColumns(x, f)
	}
	if x := o.key("columns"); x != nil && columnsOK {
		d.requiredColumns(x, f)
	}
	return f
}

// checkFormatHost reports a format's host that is not a host id.
func (d *decoder) checkFormatHost(n *yaml.Node, s string, hosts []*Host) {
	ids := make([]string, len(hosts))
	for i, h := range hosts {
		if h.ID == s {
			return
		}
		ids[i] = h.ID
	}
	hint := didYouMean(s, ids)
	for _, h := range hosts {
		for _, al := range h.Aliases {
			if strings.EqualFold(al, s) {
				hint = fmt.Sprintf("%q is an alias: use the host id %q", s, h.ID)
			}
		}
	}
	d.hintf(n, hint, "unknown host %q", s)
}

// formatSyntax decodes the format's date_format and decimal.
func (d *decoder) formatSyntax(o *object, f *Format) {
	if x := o.get("date_format"); x != nil {
		if s, ok := d.str(x, "date_format"); ok {
			if why := dateformat.Check(s); why != "" {
				d.errorf(x, "date_format %q %s", s, why)
			} else {
				f.DateFormat = s
			}
		}
	}
	if x := o.get("decimal"); x != nil {
		if s, ok := d.str(x, "decimal"); ok {
			if contains(decimalSeps, s) {
				f.Decimal = s[0]
			} else {
				d.errorf(x, "decimal must be \".\" or \",\", got %q", s)
			}
		}
	}
}

// formatColumns decodes the format's columns into f and reports whether
// they drew no problem.
func (d *decoder) formatColumns(o *object, f *Format) bool {
	columnsOK := false
	if x := o.get("columns"); x != nil {
		before := len(d.probs)
		if pairs, ok := d.entries(x, "columns"); ok {
			f.Columns = make(map[string]string, len(pairs))
			for _, p := range pairs {
				if !contains(Fields, p.key.Value) {
					d.hintf(p.key, didYouMean(p.key.Value, Fields), "unknown field %q in columns (want one of %s)",
						p.key.Value, strings.Join(Fields, ", "))
					continue
				}
				if s, ok := d.text(p.val, "column name"); ok {
					f.Columns[p.key.Value] = s
				}
			}
		}
		columnsOK = len(d.probs) == before
	}
	return columnsOK
}

// negate decodes `negate`: known fields, each once.
func (d *decoder) negate(x *yaml.Node) []string {
	var out []string
	items, _ := d.list(x, "negate")
	seen := map[string]*yaml.Node{}
	for _, it := range items {
		s, ok := d.enum(it, "negate", negatable)
		if !ok {
			continue
		}
		if first, dup := seen[s]; dup {
			d.errorf(it, "duplicate %q in negate (first at line %d)", s, first.Line)
			continue
		}
		seen[s] = it
		out = append(out, s)
	}
	return out
}

// formatProducts decodes `products`: partner product id to product id,
// lower-cased.
func (d *decoder) formatProducts(x *yaml.Node) map[string]string {
	pairs, ok := d.entries(x, "products")
	if !ok {
		return nil
	}
	m := make(map[string]string, len(pairs))
	seen := make(map[string]*yaml.Node, len(pairs))
	for _, p := range pairs {
		k := strings.TrimSpace(p.key.Value)
		if k == "" {
			d.errorf(p.key, "partner product id must not be empty")
			continue
		}
		// Partner ids match case-insensitively and trimmed: two keys that
		// do so alike would make the rename depend on which comes first.
		if first := seen[strings.ToLower(k)]; first != nil {
			d.errorf(p.key, "partner product id %q is the same as %q (line %d) when case and spaces are ignored", p.key.Value, first.Value, first.Line)
			continue
		}
		seen[strings.ToLower(k)] = p.key
		if s, ok := d.text(p.val, "product id"); ok {
			m[k] = strings.ToLower(s)
		}
	}
	return m
}

// ledger decodes a ledger-style format's amount, kind and kinds: amount
// and kind go together, and kinds says what each kind value means.
func (d *decoder) ledger(o *object, n *yaml.Node, what string, f *Format) {
	if x := o.get("amount"); x != nil {
		f.Amount, _ = d.text(x, "amount")
	}
	if x := o.get("kind"); x != nil {
		f.Kind, _ = d.text(x, "kind")
	}
	if x := o.get("kinds"); x != nil {
		if pairs, ok := d.entries(x, "kinds"); ok {
			f.Kinds = make(map[string]string, len(pairs))
			for _, p := range pairs {
				if s, ok := d.enum(p.val, "kind", kindMeanings); ok {
					f.Kinds[p.key.Value] = s
				}
			}
		}
	}
	amountKey, kindKey, kindsKey := o.key("amount"), o.key("kind"), o.key("kinds")
	switch {
	case amountKey != nil && kindKey == nil:
		d.errorf(amountKey, "amount needs kind: they go together")
	case kindKey != nil && amountKey == nil:
		d.errorf(kindKey, "kind needs amount: they go together")
	case amountKey != nil && kindKey != nil && kindsKey == nil:
		d.errorf(n, "missing required key \"kinds\" in %s (amount and kind need it)", what)
	}
	if kindsKey != nil && (amountKey == nil || kindKey == nil) {
		d.errorf(kindsKey, "kinds needs amount and kind")
	}
}
