package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/sqlgen"
)

// sqlOptions are the sql command's settings.
type sqlOptions struct {
	engine, format, from string
	scale                int
}

func newSQLCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sql --engine {duckdb | postgres | clickhouse} [--format NAME] [--from TABLE_OR_PATH] [--scale N]",
		Short: "Print the SQL query that pre-aggregates raw revenue in DuckDB, PostgreSQL or ClickHouse",
		Long: `Sql prints one SQL query that reads a partner's raw revenue the way the
agreement's format declares it (its columns, fixed host or host column with
aliases, ledger kinds with ignore, negate, product renames, date_format,
decimal comma, ignore_prefix) and returns the canonical columns
date,host,product,currency,gross,refunds,taxes,fees,credits,units summed per
(date, host, product, currency) in exact DECIMAL(38, N) — never floating
point. Save its result as CSV or Parquet and settle it: SPEC 5's
pre-aggregation contract makes it settle to the same cent as the raw rows.

--from names a table (default "revenue"; its columns named as the format's
headers) or, for duckdb, a .csv, .tsv (optionally .gz) or .parquet file.
Without --format the canonical columns are read. For clickhouse, the table
(a Distributed table, to sum on every shard) must have every column the
format maps, and a format with ignore_prefix is refused.

The query fails, naming the value, on an amount outside the amount grammar
or with more than --scale decimals, a date that does not fit the format and
a ledger kind the format does not name. An unknown host or an empty product
passes through, so that settling the result rejects it. The first lines
are comments with the agreement's sha256 and the format's name.`,
		Example: `  llamashare sql -a partner/agreement.yaml --engine duckdb --format groq-billing --from groq.csv > groq.sql
  duckdb < groq.sql   # then: llamashare settle -a partner/agreement.yaml groq-daily.parquet
  llamashare sql -a partner/agreement.yaml --engine postgres --format aws-billing-events --from raw.aws_events | psql -X --csv > aws-daily.csv
  llamashare sql -a partner/agreement.yaml --engine clickhouse --format aws-billing-events --from raw.aws_events | clickhouse-client --format CSVWithNames > aws-daily.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o := sqlOptions{engine: g.str("engine"), format: g.str("format"), from: g.str("from"), scale: g.v.GetInt("scale")}
			return sqlRun(g, o)
		},
	}
	f := cmd.Flags()
	f.String("engine", "", "write the query for `ENGINE`: "+sqlgen.EngineList())
	f.String("from", "", "read table or file `TABLE_OR_PATH` (default \"revenue\")")
	f.Int("scale", sqlgen.DefaultScale, "decimals `N` of every amount and sum: DECIMAL(38, N)")
	addConfigFlag(cmd)
	addAgreementFlag(cmd)
	addFormatFlag(cmd, g)
	_ = cmd.RegisterFlagCompletionFunc("engine", cobra.FixedCompletions(sqlgen.Engines, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// sqlRun writes the query of o to standard output.
func sqlRun(g *globals, o sqlOptions) error {
	if o.engine == "" {
		return flagErrorf("--engine is required (%s)", sqlgen.EngineList())
	}
	ag, err := g.loadAgreement()
	if err != nil {
		return err
	}
	q, err := sqlgen.Generate(sqlgen.Options{Agreement: ag, Engine: o.engine, Format: o.format, From: o.from, Scale: o.scale})
	if err != nil {
		return flagErrorf("%v", err)
	}
	_, err = fmt.Fprint(g.io.Out, q)
	return err
}
