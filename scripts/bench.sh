#!/usr/bin/env bash
# make bench: settle generated reports (fixed seeds) and time llamashare,
# with DuckDB, Miller and datamash on the same files when they are
# installed. Prints medians of several runs and peak RSS, checks that
# memory stays flat as rows grow, and fails when it does not.
#
#   BENCH_DIR   where reports are generated (default /tmp/llamashare-bench)
#   BENCH_ROWS  report sizes (default "1000000 10000000")
#   BENCH_RUNS  runs per measurement (default 5)
#
# DuckDB is used when `node` can load @duckdb/node-api from
# $BENCH_DIR/node_modules (npm install --prefix "$BENCH_DIR" @duckdb/node-api).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/llamashare-bench}
BENCH_ROWS=${BENCH_ROWS:-"1000000 10000000"}
BENCH_RUNS=${BENCH_RUNS:-5}
mkdir -p "$BENCH_DIR"
go build -o "$BENCH_DIR/llamashare" ./cmd/llamashare
go build -o "$BENCH_DIR/genrevenue" ./cmd/genrevenue
cp testdata/bench/agreement.yaml testdata/bench/fx-rates.csv "$BENCH_DIR/"

TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: GNU time (/usr/bin/time) is needed for peak RSS: apt-get install time" >&2; exit 2; }

report() { # rows -> path of a deterministic report
	local f="$BENCH_DIR/r$1.csv"
	if [ ! -s "$f" ]; then
		"$BENCH_DIR/genrevenue" -rows "$1" -seed 42 -from 2025-01-01 -to 2025-12-31 \
			-currencies USD=80,EUR=10,GBP=5,JPY=5 > "$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# measure NAME CMD...: median wall seconds and peak RSS (MiB) over BENCH_RUNS runs.
measure() {
	local name=$1; shift
	local walls=() rss=0 i out
	for ((i = 0; i < BENCH_RUNS; i++)); do
		"$TIME" -o "$BENCH_DIR/time.out" -f "%e %M" "$@" > /dev/null 2> /dev/null
		out=$(tail -1 "$BENCH_DIR/time.out")
		walls+=("${out% *}")
		local r=${out#* }
		(( r > rss )) && rss=$r
	done
	local median
	median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	printf '%-28s %8s s %8.1f MiB\n' "$name" "$median" "$(echo "$rss / 1024" | bc -l)"
	LAST_WALL=$median
	LAST_RSS=$rss
}

have_duckdb() { node -e "require.resolve('@duckdb/node-api', {paths: ['$BENCH_DIR']})" > /dev/null 2>&1; }

cp testdata/bench/duckdb.mjs "$BENCH_DIR/duckdb.mjs"
echo "== go benchmarks (per row or value; allocations)"
go test -run '^$' -bench . -benchmem ./pkg/money ./pkg/revenue | grep -E '^Benchmark'

for rows in $BENCH_ROWS; do
	f=$(report "$rows")
	echo "== $rows rows ($(du -m "$f" | cut -f1) MB), $BENCH_RUNS runs, median wall and peak RSS"
	measure "llamashare settle -o json" "$BENCH_DIR/llamashare" settle -a "$BENCH_DIR/agreement.yaml" -o json "$f"
	ours=$LAST_WALL
	if (( LAST_RSS > 100 * 1024 )); then
		echo "FAIL: peak RSS $((LAST_RSS / 1024)) MiB is over 100 MiB" >&2
		exit 1
	fi
	if have_duckdb; then
		measure "duckdb (2 threads)" node "$BENCH_DIR/duckdb.mjs" "$f"
		printf '%-28s %8.2f\n' "llamashare / duckdb" "$(echo "$ours / $LAST_WALL" | bc -l)"
	fi
	if command -v mlr > /dev/null; then
		measure "mlr stats1 (float sums)" mlr --icsv --ojson stats1 -a sum -f gross,refunds,taxes,units -g host,product,currency "$f"
		printf '%-28s %8.2f\n' "llamashare / mlr" "$(echo "$ours / $LAST_WALL" | bc -l)"
	fi
	if command -v datamash > /dev/null; then
		measure "datamash (sorted groups)" datamash -t, --header-in -s -g 2,3,5 sum 6 sum 7 sum 8 sum 11 -i "$f"
		printf '%-28s %8.2f\n' "llamashare / datamash" "$(echo "$ours / $LAST_WALL" | bc -l)"
	fi
done

# Memory must not grow with rows: what the fast path keeps grows with the
# distinct (host, product, currency, day) keys, which a year of reports
# fills well before 2M rows; the rest is fixed (blocks, caches).
echo "== memory stays flat as rows grow (2M vs 8M rows)"
a=$(report 2000000)
b=$(report 8000000)
BENCH_RUNS=3 measure "2M rows" "$BENCH_DIR/llamashare" settle -a "$BENCH_DIR/agreement.yaml" -o json "$a"
small=$LAST_RSS
BENCH_RUNS=3 measure "8M rows" "$BENCH_DIR/llamashare" settle -a "$BENCH_DIR/agreement.yaml" -o json "$b"
big=$LAST_RSS
growth=$(( (big - small) / 1024 ))
echo "growth: ${growth} MiB (peak of 3 runs each)"
if (( growth > 10 )); then
	echo "FAIL: peak RSS grew by ${growth} MiB from 2M to 8M rows (limit 10 MiB)" >&2
	exit 1
fi
echo "ok"
