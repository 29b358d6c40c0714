package sqlgen

import (
	"fmt"
	"strings"
)

// dialect is what differs between engines: quoting, reading a source,
// regular-expression captures, failing a query, and dates.
type dialect interface {
	name() string
	// source is the FROM item for a table or a file path.
	source(from string, path bool, f *format) (string, error)
	// column is the text of the source's column named header (NULL when
	// the row has none).
	column(header string) string
	// firstField is the text of the row's first column (alias t).
	firstField() string
	// captures evaluates pattern against s once, giving a value whose
	// groups group() reads as text ('' when a group did not take part).
	captures(s, pattern string, groups []string) string
	group(m string, i int, name string) string
	// matches reports whether s matches pattern.
	matches(s, pattern string) string
	// fail is an expression that stops the query with msg (a text
	// expression) where a value of type typ was expected.
	fail(msg, typ string) string
	// timestampDate is the UTC date of an RFC 3339 timestamp text.
	timestampDate(s string) string
	// decimalType is DECIMAL(38, scale), the type of the sums.
	decimalType(scale int) string
	// rowDecimalType is the type one raw amount is read as.
	rowDecimalType(scale int) string
	// dateOut is the output form of the date column.
	dateOut(expr string) string
}

// quoteIdent quotes an identifier the way DuckDB and PostgreSQL both read it.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteStr is a standard SQL string literal (backslashes are plain
// characters in both engines' standard strings).
func quoteStr(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteTable quotes a possibly schema-qualified table name part by part.
func quoteTable(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = quoteIdent(p)
	}
	return strings.Join(parts, ".")
}

type duckdb struct{}

func (duckdb) name() string { return "duckdb" }

func (duckdb) source(from string, path bool, f *format) (string, error) {
	if !path {
		return quoteTable(from) + " AS t", nil
	}
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(from), ".gz"))
	if strings.HasSuffix(name, ".parquet") {
		return "read_parquet(" + quoteStr(from) + ") AS t", nil
	}
	delim := f.delim
	if delim == 0 {
		delim = ','
		if strings.HasSuffix(name, ".tsv") {
			delim = '\t'
		}
	}
	d := quoteStr(string(delim))
	if delim == '\t' {
		d = `'\t'`
	}
	return fmt.Sprintf("read_csv(%s, header = true, all_varchar = true, delim = %s, quote = '\"', escape = '\"', skip = %d, null_padding = true)", quoteStr(from), d, f.skip) + " AS t", nil
}

func (duckdb) column(h string) string { return "CAST(t." + quoteIdent(h) + " AS VARCHAR)" }
func (duckdb) firstField() string     { return "CAST(struct_extract_at(t, 1) AS VARCHAR)" }
func (duckdb) captures(s, pattern string, groups []string) string {
	q := make([]string, len(groups))
	for i, g := range groups {
		q[i] = quoteStr(g)
	}
	return fmt.Sprintf("regexp_extract(%s, %s, [%s])", s, quoteStr(pattern), strings.Join(q, ", "))
}
func (duckdb) matches(s, pattern string) string {
	return "regexp_matches(" + s + ", " + quoteStr(pattern) + ")"
}
func (duckdb) group(m string, _ int, name string) string { return m + "." + name }
func (duckdb) fail(msg, typ string) string               { return "error(" + msg + ")" }
func (duckdb) timestampDate(s string) string {
	return "CAST(timezone('UTC', CAST(" + s + " AS TIMESTAMPTZ)) AS DATE)"
}
func (duckdb) decimalType(scale int) string { return fmt.Sprintf("DECIMAL(38, %d)", scale) }

// rowDecimalType: DuckDB casts text to DECIMAL(18, s) some hundred times
// faster than to DECIMAL(38, s); its sum is a DECIMAL(38, s) all the same.
// A raw amount with more than 18−s integer digits fails the cast.
func (duckdb) rowDecimalType(scale int) string {
	if scale > 12 {
		return fmt.Sprintf("DECIMAL(38, %d)", scale)
	}
	return fmt.Sprintf("DECIMAL(18, %d)", scale)
}
func (duckdb) dateOut(expr string) string { return expr }

type postgres struct{}

func (postgres) name() string { return "postgres" }

func (postgres) source(from string, path bool, f *format) (string, error) {
	if path {
		return "", fmt.Errorf("--from %s: postgres reads a table, not a file; load the file into a table of text columns first (\\copy TABLE FROM 'FILE' WITH (FORMAT csv, HEADER)) and pass the table's name", from)
	}
	// Columns are read through the row as JSON: a column the table lacks
	// reads as NULL (zero), as a report without it would.
	return quoteTable(from) + " AS t CROSS JOIN LATERAL (SELECT to_jsonb(t) AS j) AS x_", nil
}

// column: the header as written, else lower-cased (a table created with
// unquoted names).
func (postgres) column(h string) string {
	c := "(x_.j ->> " + quoteStr(h) + ")"
	if l := strings.ToLower(h); l != h {
		c = "coalesce(" + c + ", x_.j ->> " + quoteStr(l) + ")"
	}
	return c
}

// firstField: a row turned into JSON keeps its columns in order.
func (postgres) firstField() string {
	return "(SELECT j.value FROM json_each_text(row_to_json(t)) AS j LIMIT 1)"
}
func (postgres) captures(s, pattern string, _ []string) string {
	return fmt.Sprintf("regexp_match(%s, %s)", s, quoteStr(pattern))
}
func (postgres) matches(s, pattern string) string { return "(" + s + " ~ " + quoteStr(pattern) + ")" }
func (postgres) group(m string, i int, _ string) string {
	return fmt.Sprintf("coalesce(%s[%d], '')", m, i+1)
}

// fail: PostgreSQL has no error function in plain SQL; casting the message
// to the expected type stops the query with the message quoted in it.
func (postgres) fail(msg, typ string) string { return "CAST(" + msg + " AS " + typ + ")" }
func (postgres) timestampDate(s string) string {
	return "CAST((CAST(" + s + " AS TIMESTAMPTZ) AT TIME ZONE 'UTC') AS DATE)"
}
func (postgres) decimalType(scale int) string { return fmt.Sprintf("NUMERIC(38, %d)", scale) }
func (postgres) rowDecimalType(scale int) string {
	return fmt.Sprintf("NUMERIC(38, %d)", scale)
}
func (postgres) dateOut(expr string) string { return "to_char(" + expr + ", 'YYYY-MM-DD')" }
