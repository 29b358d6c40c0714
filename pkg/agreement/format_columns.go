package agreement

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// ignoreColumns decodes a format's `ignore_columns`: a list of partner
// headers, each non-empty, not repeated (case-insensitively, as headers
// are compared) and not one the format maps.
func (d *decoder) ignoreColumns(n *yaml.Node, f *Format) []string {
	items, ok := d.list(n, "ignore_columns")
	if !ok {
		return nil
	}
	mapped := map[string]string{}
	for field, h := range f.Columns {
		mapped[headerKey(h)] = field
	}
	for _, h := range []string{f.Amount, f.Kind} {
		if h != "" {
			mapped[headerKey(h)] = "amount/kind"
		}
	}
	seen := map[string]*yaml.Node{}
	var out []string
	for _, it := range items {
		s, ok := d.text(it, "column name")
		if !ok {
			continue
		}
		k := headerKey(s)
		switch {
		case k == "":
			d.errorf(it, "ignore_columns: column name must not be empty")
			continue
		case seen[k] != nil:
			d.errorf(it, "duplicate %q in ignore_columns (first at line %d)", s, seen[k].Line)
			continue
		case mapped[k] != "":
			d.errorf(it, "ignore_columns: %q is a column the format reads", s)
			continue
		}
		seen[k] = it
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// headerKey is how CSV headers compare: trimmed, case-insensitive.
func headerKey(h string) string { return strings.ToLower(strings.TrimSpace(h)) }

// requiredColumns checks that a format which maps columns maps the ones
// every row needs (SPEC 8: a format reads only what it maps, never a
// column because its header happens to be a canonical name): a date or a
// period, the product and, unless it is a ledger, gross. The host column
// is the exception: a format that neither fixes the host nor maps it
// reads the canonical `host` column.
func (d *decoder) requiredColumns(at *yaml.Node, f *Format) {
	mapped := func(field string) bool { return strings.TrimSpace(f.Columns[field]) != "" }
	var missing []string
	if !mapped("date") && !mapped("period") {
		missing = append(missing, "date (or period)")
	}
	if !mapped("product") {
		missing = append(missing, "product")
	}
	if !mapped("gross") && f.Amount == "" {
		missing = append(missing, "gross")
	}
	if len(missing) == 0 {
		return
	}
	d.hintf(at, "a format reads only the columns it maps: add FIELD: <its header>, even when the header is the canonical name (product: product)",
		"format %q: columns maps no %s", f.Name, andList(missing))
}
