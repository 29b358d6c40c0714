#!/usr/bin/env bash
# make scale-test: SPEC 11's equivalence on a ClickHouse cluster of two local
# shards. Starts two clickhouse-server processes (Debian's package) on
# loopback ports with their data in a temp folder, then runs
# pkg/sqlgen's ClickHouse tests against them: for a generated raw file in
# every example partner format, odd rows go to shard 1 and even rows to
# shard 2, `llamashare sql --engine clickhouse` runs on a Distributed table
# over both, its CSV result is settled, and the settlement must equal the
# raw file's byte for byte apart from `inputs`; amounts, dates and kinds
# llamashare would refuse must stop the query. Then it shows, from shard
# 2's query log, that the summing (GROUP BY) ran there. Stops the servers.
#
#   SCALE_TEST_PORT  base port (default 29400): shard N on tcp base+N, http base+10+N
# Not part of `make test` (it needs clickhouse-server: apt-get install
# clickhouse-server clickhouse-client).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clickhouse-server > /dev/null || { echo "scale-test: clickhouse-server is not installed (apt-get install clickhouse-server clickhouse-client)" >&2; exit 2; }
. scripts/clickhouse-cluster.sh
base=${SCALE_TEST_PORT:-29400}
work=$(mktemp -d)
trap 'ch_stop; rm -rf "$work"' EXIT
ch_start "$work" "$base"
echo "== ClickHouse $(ch 1 -q 'SELECT version()'): cluster llamashare of $(ch 1 -q "SELECT count() FROM system.clusters WHERE cluster = 'llamashare'") shards on 127.0.0.1:$((base + 1)),$((base + 2))"
echo "== exact Decimal sums across the shards"
for n in 1 2; do
	ch $n --multiquery -q "CREATE TABLE probe_local (x String) ENGINE = MergeTree() ORDER BY tuple();
		CREATE TABLE probe AS probe_local ENGINE = Distributed(llamashare, default, probe_local, rand())"
	ch $n -q "INSERT INTO probe_local SELECT '0.000001' FROM numbers(500000)"
done
ch 1 -q "SELECT count() AS rows, toTypeName(sum(toDecimal128(x, 6))) AS type, sum(toDecimal128(x, 6)) AS exact_sum, sum(toFloat64(x)) AS float_sum FROM probe FORMAT PrettyCompactNoEscapes"
echo "== equivalence: raw file vs ClickHouse aggregate, every example format"
LLAMASHARE_CLICKHOUSE_PORTS=$((base + 1)),$((base + 2)) go test -count=1 -v -run 'ClickHouse' ./pkg/sqlgen/ 2>&1 |
	grep -E '^(=== RUN|--- |    --- |PASS|FAIL|ok|\s+\S+_test\.go)' | grep -v '^=== RUN'
echo "== queries shard 2 ran for the Distributed table (not the initiator's)"
ch 2 -q "SYSTEM FLUSH LOGS"
ch 2 -q "SELECT count() AS queries, countIf(query LIKE '%GROUP BY%') AS with_group_by, sum(read_rows) AS rows_read
	FROM system.query_log WHERE type = 2 AND is_initial_query = 0 AND query LIKE '%o_gross%' FORMAT PrettyCompactNoEscapes"
