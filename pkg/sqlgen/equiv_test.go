package sqlgen_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/cli"
	"github.com/llamashare/llamashare/pkg/sqlgen"
)

// exampleAgreement is the agreement whose formats the equivalence tests
// cover: every partner format of the examples.
const exampleAgreement = "../../examples/llama-hosts/reports/agreement.yaml"

// run runs llamashare in-process.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	wd, _ := os.Getwd()
	code = cli.Main(args, &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb,
		Getenv: func(string) string { return "" }, WorkingDir: wd})
	return out.String(), errb.String(), code
}

// settlement settles files and returns the JSON result without `inputs`
// (which name the files and their hashes), re-encoded.
func settlement(t *testing.T, ag string, files ...string) string {
	t.Helper()
	args := append([]string{"settle", "--config", os.DevNull, "-a", ag, "-o", "json", "-p", "2025-Q1"}, files...)
	out, errs, code := run(t, args...)
	if code != 0 {
		t.Fatalf("settle %v: exit %d\n%s", files, code, errs)
	}
	var m map[string]json.RawMessage
	must(t, json.Unmarshal([]byte(out), &m))
	delete(m, "inputs")
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, m[k])
	}
	return b.String()
}

// formats are the example's partner formats plus the canonical columns.
func formats(t *testing.T) (*agreement.Agreement, []string) {
	t.Helper()
	a, err := agreement.Load(exampleAgreement)
	must(t, err)
	names := []string{""}
	for n := range a.Formats {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 6 {
		t.Fatalf("the example declares %d formats, want 5", len(names)-1)
	}
	return a, names
}

func query(t *testing.T, engine, format, from string) string {
	t.Helper()
	args := []string{"sql", "--config", os.DevNull, "-a", exampleAgreement, "--engine", engine, "--from", from}
	if format != "" {
		args = append(args, "--format", format)
	}
	out, errs, code := run(t, args...)
	if code != 0 {
		t.Fatalf("sql: exit %d: %s", code, errs)
	}
	return out
}

func label(name string) string {
	if name == "" {
		return "canonical"
	}
	return name
}

// duckdbRunner returns the command running testdata/duckdb/run.mjs, or
// skips when node or the pinned @duckdb/node-api is not installed.
func duckdbRunner(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../testdata/duckdb")
	must(t, err)
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed (CI installs it: .ci/run)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Skip("@duckdb/node-api not installed: run npm ci in testdata/duckdb (.ci/run does)")
	}
	return filepath.Join(dir, "run.mjs")
}

func duckdb(t *testing.T, runner, sql, out string) {
	t.Helper()
	q := out + ".sql"
	must(t, os.WriteFile(q, []byte(sql), 0o644))
	cmd := exec.Command("node", runner, q, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("duckdb: %v\n%s\n%s", err, b, sql)
	}
}

// TestEquivalenceDuckDB: for a generated raw file in every example format,
// settling it directly and settling DuckDB's aggregate of it (as CSV and
// as Parquet) give the same settlement, byte for byte apart from inputs.
func TestEquivalenceDuckDB(t *testing.T) {
	runner := duckdbRunner(t)
	a, names := formats(t)
	dir := t.TempDir()
	for i, name := range names {
		t.Run(label(name), func(t *testing.T) {
			raw := rawFile(t, dir, a, name, 400, uint64(i+1))
			direct := settlement(t, exampleAgreement, raw)
			sql := query(t, "duckdb", name, raw)
			for _, ext := range []string{".csv", ".parquet"} {
				out := filepath.Join(dir, "duckdb-"+label(name)+ext)
				duckdb(t, runner, sql, out)
				if got := settlement(t, exampleAgreement, out); got != direct {
					t.Errorf("%s: settling DuckDB's %s differs from settling the raw file\nraw:\n%s\naggregate:\n%s", label(name), ext, direct, got)
				}
			}
		})
	}
}

// TestEquivalencePostgres: the same in PostgreSQL, the raw file loaded
// into a table of text columns as a user would (\copy), on a private
// server started for the test.
func TestEquivalencePostgres(t *testing.T) {
	pg := startPostgres(t)
	a, names := formats(t)
	dir := t.TempDir()
	for i, name := range names {
		t.Run(label(name), func(t *testing.T) {
			raw := rawFile(t, dir, a, name, 400, uint64(i+101))
			direct := settlement(t, exampleAgreement, raw)
			table := "raw_" + strings.ReplaceAll(label(name), "-", "_")
			pg.load(t, raw, a, name, table)
			out := filepath.Join(dir, "pg-"+label(name)+".csv")
			pg.query(t, query(t, "postgres", name, table), out)
			if got := settlement(t, exampleAgreement, out); got != direct {
				t.Errorf("%s: settling PostgreSQL's aggregate differs from settling the raw file\nraw:\n%s\naggregate:\n%s", label(name), direct, got)
			}
		})
	}
}

type pgServer struct {
	bin, sock string
}

// startPostgres runs initdb and pg_ctl on a private unix socket in a temp
// folder (no TCP) and stops the server when the test ends. It skips when
// the server's binaries are not installed.
func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("PostgreSQL tests run on Linux")
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			bins = []string{p}
		}
	}
	if len(bins) == 0 {
		t.Skip("PostgreSQL server not installed (CI installs it: .ci/run)")
	}
	sort.Strings(bins)
	bin := filepath.Dir(bins[len(bins)-1])
	if _, err := exec.LookPath("psql"); err != nil {
		if _, err := os.Stat(filepath.Join(bin, "psql")); err != nil {
			t.Skip("psql not installed")
		}
	}
	dir, err := os.MkdirTemp("", "llamashare-pg-")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	// initdb refuses to run as root: run the server as the postgres user.
	var as []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root without a postgres user")
		}
		must(t, os.Chmod(dir, 0o777))
		as = []string{"runuser", "-u", u.Username, "--"}
	}
	pg := &pgServer{bin: bin, sock: dir}
	data := filepath.Join(dir, "data")
	sh := func(args ...string) {
		t.Helper()
		full := append(append([]string{}, as...), args...)
		cmd := exec.Command(full[0], full[1:]...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, b)
		}
	}
	sh(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C")
	sh(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-o", "-k "+dir+" -h '' -c fsync=off -c full_page_writes=off", "start")
	t.Cleanup(func() {
		full := append(append([]string{}, as...), filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
		_ = exec.Command(full[0], full[1:]...).Run()
	})
	return pg
}

func (pg *pgServer) psql(t *testing.T, stdin io.Reader, args ...string) []byte {
	t.Helper()
	psql := filepath.Join(pg.bin, "psql")
	if _, err := os.Stat(psql); err != nil {
		psql = "psql"
	}
	cmd := exec.Command(psql, append([]string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.sock, "-U", "postgres", "-d", "postgres"}, args...)...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("psql %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

// load creates table with one text column per header of the raw file and
// copies its rows in (short rows, such as footers, padded with NULLs).
func (pg *pgServer) load(t *testing.T, raw string, a *agreement.Agreement, name, table string) {
	t.Helper()
	b, err := os.ReadFile(raw)
	must(t, err)
	delim, skip := ',', 0
	if name != "" {
		if f := a.Formats[name]; f.Delimiter != 0 {
			delim = f.Delimiter
		}
		skip = a.Formats[name].SkipLines
	}
	if strings.HasSuffix(raw, ".tsv") && (name == "" || a.Formats[name].Delimiter == 0) {
		delim = '\t'
	}
	for i := 0; i < skip; i++ {
		b = b[bytes.IndexByte(b, '\n')+1:]
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = delim
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	must(t, err)
	cols := make([]string, len(recs[0]))
	for i, h := range recs[0] {
		cols[i] = `"` + strings.ReplaceAll(h, `"`, `""`) + `" text`
	}
	pg.psql(t, nil, "-c", fmt.Sprintf("DROP TABLE IF EXISTS %s; CREATE TABLE %s (%s)", table, table, strings.Join(cols, ", ")))
	var data bytes.Buffer
	w := csv.NewWriter(&data)
	for _, rec := range recs[1:] {
		for len(rec) < len(cols) {
			rec = append(rec, "")
		}
		must(t, w.Write(rec))
	}
	w.Flush()
	pg.psql(t, &data, "-c", fmt.Sprintf("\\copy %s FROM STDIN WITH (FORMAT csv)", table))
}

// query runs sql and writes its result as CSV with a header to out.
func (pg *pgServer) query(t *testing.T, sql, out string) {
	t.Helper()
	q := out + ".sql"
	must(t, os.WriteFile(q, []byte(sql), 0o644))
	res := pg.psql(t, nil, "--csv", "-f", q)
	must(t, os.WriteFile(out, res, 0o644))
}

// TestGenerateErrors: what the query cannot do is an error, not a query.
func TestGenerateErrors(t *testing.T) {
	a, err := agreement.Load(exampleAgreement)
	must(t, err)
	for _, c := range []struct {
		o    sqlgen.Options
		want string
	}{
		{sqlgen.Options{Engine: "spark"}, `unknown engine "spark" (want duckdb, postgres or clickhouse)`},
		{sqlgen.Options{Engine: "clickhouse", From: "raw/aws.csv"}, `clickhouse reads a table, not a file`},
		{sqlgen.Options{Engine: "duckdb", Format: "nope"}, `unknown format "nope" (declared formats: canonical, aws-billing-events`},
		{sqlgen.Options{Engine: "postgres", From: "raw/aws.csv"}, `postgres reads a table, not a file`},
		{sqlgen.Options{Engine: "duckdb", Scale: 31}, `scale 31`},
	} {
		c.o.Agreement = a
		_, err := sqlgen.Generate(c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.o, err, c.want)
		}
	}
}

// TestGenerateHeader: the query names the agreement's sha256 and the
// format, and never casts to a floating-point type.
func TestGenerateHeader(t *testing.T) {
	a, names := formats(t)
	for _, engine := range sqlgen.Engines {
		for _, name := range names {
			q, err := sqlgen.Generate(sqlgen.Options{Agreement: a, Engine: engine, Format: name})
			if engine == "clickhouse" && name != "" && a.Formats[name].IgnorePrefix != "" {
				if err == nil {
					t.Errorf("clickhouse %s: ignore_prefix must be refused", name)
				}
				continue
			}
			must(t, err)
			if !strings.Contains(q, "sha256 "+a.SHA256) || !strings.Contains(q, "--format "+label(name)+"\n") {
				t.Errorf("%s %s: header lacks the agreement's sha256 or the format:\n%s", engine, label(name), q[:300])
			}
			up := strings.ToUpper(q)
			for _, bad := range []string{"DOUBLE", "FLOAT", "REAL"} {
				if strings.Contains(up, bad) {
					t.Errorf("%s %s: query mentions %s", engine, label(name), bad)
				}
			}
		}
	}
}

// loudCases are raw canonical files the query must refuse, naming the
// value, rather than read differently from llamashare.
var loudCases = []struct{ name, gross, date, want string }{
	{"exponent", "1e3", "2025-01-02", `invalid amount "1e3"`},
	{"two points", "12.3.4", "2025-01-02", `invalid amount "12.3.4"`},
	{"misgrouped", "1,23,4.00", "2025-01-02", `invalid amount "1,23,4.00"`},
	{"unbalanced", "(12.00", "2025-01-02", `invalid amount "(12.00"`},
	{"paren and minus", "(-12.00)", "2025-01-02", `invalid amount "(-12.00)"`},
	{"too many decimals", "1.0000001", "2025-01-02", `invalid amount "1.0000001"`},
	{"not a number", "N/A", "2025-01-02", `invalid amount "N/A"`},
	{"empty gross", "", "2025-01-02", `empty amount in column gross`},
	{"bad date", "1.00", "02/01/2025", `invalid date "02/01/2025"`},
	{"timestamp without offset", "1.00", "2025-01-02T10:00:00", `invalid date "2025-01-02T10:00:00"`},
}

func loudFile(t *testing.T, dir, name, gross, date string) string {
	p := filepath.Join(dir, "loud-"+strings.ReplaceAll(name, " ", "-")+".csv")
	body := "date,host,product,currency,gross\n2025-01-02,aws,llama-4-scout,USD,5.00\n" + date + ",aws,llama-4-scout,USD,\"" + gross + "\"\n"
	must(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

// TestLoudDuckDB: amounts and dates llamashare would refuse stop DuckDB's
// query with a message naming them.
func TestLoudDuckDB(t *testing.T) {
	runner := duckdbRunner(t)
	dir := t.TempDir()
	for _, c := range loudCases {
		raw := loudFile(t, dir, c.name, c.gross, c.date)
		q := query(t, "duckdb", "", raw)
		must(t, os.WriteFile(raw+".sql", []byte(q), 0o644))
		b, err := exec.Command("node", runner, raw+".sql", raw+".out.csv").CombinedOutput()
		if err == nil || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: got %v %s, want an error with %q", c.name, err, b, c.want)
		}
	}
}

// TestLoudPostgres: the same in PostgreSQL.
func TestLoudPostgres(t *testing.T) {
	pg := startPostgres(t)
	dir := t.TempDir()
	a, _ := formats(t)
	for i, c := range loudCases {
		raw := loudFile(t, dir, c.name, c.gross, c.date)
		table := fmt.Sprintf("loud_%d", i)
		pg.load(t, raw, a, "", table)
		q := query(t, "postgres", "", table)
		psql := filepath.Join(pg.bin, "psql")
		cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.sock, "-U", "postgres", "-d", "postgres", "--csv")
		cmd.Stdin = strings.NewReader(q)
		b, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: got %v %s, want an error with %q", c.name, err, b, c.want)
		}
	}
}
