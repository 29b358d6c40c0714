package sqlgen_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/sqlgen"
)

// clickhouseEnv names the two shards' native ports ("PORT1,PORT2") of a
// running cluster `llamashare`; scripts/scale-test.sh (make scale-test)
// starts one and sets it. Without it the ClickHouse equivalence test skips.
const clickhouseEnv = "LLAMASHARE_CLICKHOUSE_PORTS"

// TestEquivalenceClickHouse: for a generated raw file in every example
// format, the rows are split between the two shards (odd rows on one,
// even on the other), the query runs on a Distributed table over both,
// and its CSV result settles exactly as the raw file does. A format with
// ignore_prefix is refused with a clear error instead.
func TestEquivalenceClickHouse(t *testing.T) {
	ports := strings.Split(os.Getenv(clickhouseEnv), ",")
	if len(ports) != 2 || ports[0] == "" {
		t.Skipf("%s is not set: make scale-test starts a two-shard ClickHouse cluster and runs this test", clickhouseEnv)
	}
	a, names := formats(t)
	dir := t.TempDir()
	for i, name := range names {
		t.Run(label(name), func(t *testing.T) {
			raw := rawFile(t, dir, a, name, 400, uint64(i+201))
			table := "raw_" + strings.ReplaceAll(label(name), "-", "_")
			if name != "" && a.Formats[name].IgnorePrefix != "" {
				_, errs, code := run(t, "sql", "--config", os.DevNull, "-a", exampleAgreement, "--engine", "clickhouse", "--format", name, "--from", table)
				if code != 2 || !strings.Contains(errs, "ignore_prefix cannot be applied in clickhouse") {
					t.Errorf("format with ignore_prefix: exit %d, %s; want exit 2 naming ignore_prefix", code, errs)
				}
				return
			}
			direct := settlement(t, exampleAgreement, raw)
			counts := chLoad(t, ports, raw, a, name, table)
			if counts[0] == 0 || counts[1] == 0 {
				t.Fatalf("rows per shard %v: want both shards to hold rows", counts)
			}
			out := filepath.Join(dir, "ch-"+label(name)+".csv")
			b := chClient(t, ports[0], strings.NewReader(query(t, "clickhouse", name, table)), "--format", "CSVWithNames")
			must(t, os.WriteFile(out, b, 0o644))
			if got := settlement(t, exampleAgreement, out); got != direct {
				t.Errorf("%s: settling ClickHouse's aggregate differs from settling the raw file\nraw:\n%s\naggregate:\n%s", label(name), direct, got)
			}
		})
	}
}

// TestLoudClickHouse: an amount outside the grammar, an impossible date
// and an unknown kind stop the query with a message naming the value.
func TestLoudClickHouse(t *testing.T) {
	ports := strings.Split(os.Getenv(clickhouseEnv), ",")
	if len(ports) != 2 || ports[0] == "" {
		t.Skipf("%s is not set (make scale-test)", clickhouseEnv)
	}
	a, _ := formats(t)
	dir := t.TempDir()
	cases := append(loudCases[:len(loudCases):len(loudCases)],
		struct{ name, gross, date, want string }{"not a day", "1.00", "2025-02-30", `invalid date "2025-02-30"`},
		struct{ name, gross, date, want string }{"short month", "1.00", "2025-1-15", `invalid date "2025-1-15"`})
	for _, c := range cases {
		// The table holds every canonical column: ClickHouse reads columns by name.
		raw := filepath.Join(dir, "loud.csv")
		must(t, os.WriteFile(raw, []byte("date,host,product,currency,gross,refunds,taxes,fees,credits,units\n"+
			"2025-01-02,aws,llama-4-scout,USD,5.00,,,,,\n"+c.date+",aws,llama-4-scout,USD,\""+c.gross+"\",,,,,\n"), 0o644))
		chLoad(t, ports, raw, a, "", "raw_loud")
		_, errs := chClientErr(t, ports[0], strings.NewReader(query(t, "clickhouse", "", "raw_loud")))
		if !strings.Contains(errs, c.want) {
			t.Errorf("%s: error %q, want it to name %q", c.name, errs, c.want)
		}
	}
}

func chClientErr(t *testing.T, port string, stdin *strings.Reader, args ...string) ([]byte, string) {
	t.Helper()
	cmd := exec.Command("clickhouse-client", append([]string{"--host", "127.0.0.1", "--port", port}, args...)...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.Bytes(), errb.String() + err.Error()
	}
	return out.Bytes(), ""
}

func chClient(t *testing.T, port string, stdin *strings.Reader, args ...string) []byte {
	t.Helper()
	out, errs := chClientErr(t, port, stdin, args...)
	if errs != "" {
		t.Fatalf("clickhouse-client %v: %s", args, errs)
	}
	return out
}

// chLoad creates table_local (String columns named as the raw file's
// header) on each shard and a Distributed table over them, and puts the
// odd data rows on shard 1 and the even ones on shard 2 (short rows, such
// as footers, padded with empty fields). It returns the rows per shard.
func chLoad(t *testing.T, ports []string, raw string, a *agreement.Agreement, name, table string) [2]int {
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
		cols[i] = "`" + h + "` String"
	}
	var data [2]bytes.Buffer
	var counts [2]int
	for i, rec := range recs[1:] {
		m := map[string]string{}
		for j, h := range recs[0] {
			if j < len(rec) {
				m[h] = rec[j]
			} else {
				m[h] = ""
			}
		}
		line, err := json.Marshal(m)
		must(t, err)
		data[i%2].Write(append(line, '\n'))
		counts[i%2]++
	}
	for s, port := range ports {
		chClient(t, port, nil, "--multiquery", "-q", fmt.Sprintf(
			"DROP TABLE IF EXISTS %[1]s; DROP TABLE IF EXISTS %[1]s_local; "+
				"CREATE TABLE %[1]s_local (%[2]s) ENGINE = MergeTree() ORDER BY tuple(); "+
				"CREATE TABLE %[1]s AS %[1]s_local ENGINE = Distributed(llamashare, default, %[1]s_local, rand())",
			table, strings.Join(cols, ", ")))
		if counts[s] > 0 {
			chClient(t, port, strings.NewReader(data[s].String()), "-q", "INSERT INTO "+table+"_local FORMAT JSONEachRow")
		}
	}
	return counts
}

// TestClickHouseRefuses: what the ClickHouse query cannot do is an error.
func TestClickHouseRefuses(t *testing.T) {
	a, err := agreement.Load(exampleAgreement)
	must(t, err)
	for _, c := range []struct {
		format, from, want string
	}{
		{"dell-financial-report", "raw_dell", "ignore_prefix cannot be applied in clickhouse"},
		{"groq-billing", "groq.csv", "clickhouse reads a table"},
		{"groq-billing", "db.we`ird", "contains a backquote"},
	} {
		_, err := sqlgen.Generate(sqlgen.Options{Agreement: a, Engine: "clickhouse", Format: c.format, From: c.from})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s from %s: %v, want %q", c.format, c.from, err, c.want)
		}
	}
}
