#!/usr/bin/env bash
# Settle the five partner reports of examples/llama-hosts/reports twice —
# directly, and through an engine's pre-aggregation (llamashare sql → engine
# → CSV or Parquet → llamashare settle) — and show that the settlements are
# the same, byte for byte apart from `inputs` (which name the files).
#
#   DuckDB      every report; its result as Parquet and as CSV. The CSVs,
#               concatenated, must equal fixture/duckdb-daily-2025-q1.csv.
#   PostgreSQL  the AWS billing-event feed, loaded into raw.aws_billing_events
#               as in README.md; skipped when the server is not installed.
#
# Needs go, node, jq and `npm ci` in testdata/duckdb; PostgreSQL from
# Debian's postgresql package (run as root, the server runs as `postgres`).
# Usage (from anywhere): examples/scale-out/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
reports=examples/llama-hosts/reports
ag=$reports/agreement.yaml
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
	if [ -n "${pgdata:-}" ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop > /dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/llamashare" ./cmd/llamashare
ls="$work/llamashare"

# settled FILE...: the settlement of Q1 2025 as JSON, without `inputs`.
settled() { "$ls" settle -a "$ag" -p 2025-Q1 -o json "$@" 2> "$work/settle.err" | jq 'del(.inputs)' || { cat "$work/settle.err" >&2; return 1; }; }

# same NAME A B: report whether two settlements agree; stop when they do not.
same() {
	if cmp -s "$2" "$3"; then
		echo "same settlement: $1"
	else
		echo "DIFFERENT settlement: $1"
		diff "$2" "$3" | head -20
		exit 1
	fi
}

pairs="aws-billing-events:aws-billing-events-2025-q1.csv
azure-partner-center:azure-transactions-2025-q1.csv
databricks-emea:databricks-emea-2025-q1.csv
dell-financial-report:dell-financial-2025-q1.tsv
groq-billing:groq-billing-2025-q1.csv"

echo "== DuckDB"
raws=()
for pair in $pairs; do
	format=${pair%%:*}
	raw=$reports/${pair#*:}
	raws+=("$raw")
	"$ls" sql -a "$ag" --engine duckdb --format "$format" --from "$raw" > "$work/$format.sql"
	node testdata/duckdb/run.mjs "$work/$format.sql" "$work/$format.parquet"
	node testdata/duckdb/run.mjs "$work/$format.sql" "$work/$format.csv"
	settled "$raw" > "$work/direct.json"
	settled "$work/$format.parquet" > "$work/parquet.json"
	settled "$work/$format.csv" > "$work/csv.json"
	same "$format (raw vs DuckDB → Parquet)" "$work/direct.json" "$work/parquet.json"
	same "$format (raw vs DuckDB → CSV)" "$work/direct.json" "$work/csv.json"
done
{
	head -1 "$work/groq-billing.csv"
	for pair in $pairs; do tail -n +2 "$work/${pair%%:*}.csv"; done
} > "$work/all.csv"
if cmp -s "$work/all.csv" examples/scale-out/fixture/duckdb-daily-2025-q1.csv; then
	echo "fixture/duckdb-daily-2025-q1.csv is DuckDB's output for the five reports"
else
	echo "fixture/duckdb-daily-2025-q1.csv differs from DuckDB's output now:"
	diff examples/scale-out/fixture/duckdb-daily-2025-q1.csv "$work/all.csv" | head -20
	exit 1
fi
settled "${raws[@]}" > "$work/direct.json"
settled examples/scale-out/fixture/duckdb-daily-2025-q1.csv > "$work/fixture.json"
same "all five reports (raw vs the fixture)" "$work/direct.json" "$work/fixture.json"

echo "== PostgreSQL"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || ! id postgres > /dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	echo "skipped: needs Debian's postgresql package and root (the server runs as postgres)"
	exit 0
fi
mkdir -m 777 "$work/pg"
pgdata=$work/pg/data
runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -A trust -U postgres --no-sync -E UTF8 --locale C > /dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -l "$work/pg/log" -w -o "-k $work/pg -h '' -c fsync=off" start > /dev/null
export PGHOST=$work/pg PGUSER=postgres PGDATABASE=postgres
raw=$reports/aws-billing-events-2025-q1.csv
# The raw feed as text columns named as its header (what README.md shows).
psql -X -q -v ON_ERROR_STOP=1 <<-EOF
	CREATE SCHEMA raw;
	CREATE TABLE raw.aws_billing_events (
	  billing_event_id text, from_account_id text, to_account_id text, end_user_account_id text,
	  product_id text, action text, transaction_type text, parent_billing_event_id text,
	  amount text, currency text, balance_impacting text, invoice_date text,
	  payment_due_date text, usage_period_start_date text, usage_period_end_date text, invoice_id text);
	\copy raw.aws_billing_events FROM '$raw' WITH (FORMAT csv, HEADER true)
EOF
"$ls" sql -a "$ag" --engine postgres --format aws-billing-events --from raw.aws_billing_events > "$work/aws.sql"
psql -X -q -v ON_ERROR_STOP=1 --csv -f "$work/aws.sql" > "$work/aws-daily.csv"
settled "$raw" > "$work/direct.json"
settled "$work/aws-daily.csv" > "$work/pg.json"
same "aws-billing-events (raw vs PostgreSQL → CSV)" "$work/direct.json" "$work/pg.json"
