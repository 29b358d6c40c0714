#!/usr/bin/env bash
# make bench: issue 17's table. Generates deterministic reports (genrevenue,
# fixed seed) in every layout the table names, times `llamashare settle -o
# json` on each against DuckDB reading the same file with the matching
# options (the query `llamashare sql --engine duckdb` writes for the file's
# format, run by testdata/duckdb/run.mjs: exact DECIMAL, two threads), in
# paired runs, and prints the table in Markdown: medians of the runs' wall
# times and the peak RSS of each side. It checks that every layout settles
# to the same figures, and that memory stays flat as rows grow.
#
#   BENCH_DIR   where reports are generated (default /tmp/llamashare-bench)
#   BENCH_RUNS  paired runs per case (default 5)
#   BENCH_HEAVY_RUNS  paired runs of the 100k- and 1M-products cases (default 3)
#   BENCH_BIG   rows of the large canonical report (default 10000000)
#   BENCH_ROWS  rows of the other reports (default 2000000)
#
# DuckDB is found as @duckdb/node-api under $BENCH_DIR/node_modules or
# testdata/duckdb/node_modules (cd testdata/duckdb && npm ci); without it
# the DuckDB columns say "n/a".
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/llamashare-bench}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_HEAVY_RUNS=${BENCH_HEAVY_RUNS:-3}
BENCH_BIG=${BENCH_BIG:-10000000}
BENCH_ROWS=${BENCH_ROWS:-2000000}
mkdir -p "$BENCH_DIR"
go build -o "$BENCH_DIR/llamashare" ./cmd/llamashare
go build -o "$BENCH_DIR/genrevenue" ./cmd/genrevenue
cp testdata/bench/agreement.yaml testdata/bench/fx-rates.csv testdata/duckdb/run.mjs "$BENCH_DIR/"
LS=$BENCH_DIR/llamashare
AG=$BENCH_DIR/agreement.yaml

TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: GNU time (/usr/bin/time) is needed for peak RSS: apt-get install time" >&2; exit 2; }

if [ ! -e "$BENCH_DIR/node_modules" ] && [ -d testdata/duckdb/node_modules ]; then
	ln -s "$PWD/testdata/duckdb/node_modules" "$BENCH_DIR/node_modules"
fi
have_duckdb() { node -e "require.resolve('@duckdb/node-api', {paths: ['$BENCH_DIR']})" > /dev/null 2>&1; }
DUCKDB=no
if have_duckdb; then DUCKDB=yes; fi

# gen NAME ROWS ARGS...: a deterministic report, made once.
gen() {
	local f="$BENCH_DIR/$1" rows=$2
	shift 2
	if [ ! -s "$f" ]; then
		"$BENCH_DIR/genrevenue" -rows "$rows" -seed 42 -from 2025-01-01 -to 2025-12-31 \
			-currencies USD=80,EUR=10,GBP=5,JPY=5 "$@" > "$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# once CMD...: wall seconds, peak RSS (KiB) and CPU seconds (user + sys)
# of one run, in $W, $R and $C.
once() {
	"$TIME" -o "$BENCH_DIR/time.out" -f "%e %M %U %S" "$@" > /dev/null 2> "$BENCH_DIR/stderr.out" || {
		echo "bench: failed: $*" >&2
		cat "$BENCH_DIR/stderr.out" >&2
		exit 1
	}
	local u s
	read -r W R u s < <(tail -1 "$BENCH_DIR/time.out")
	C=$(echo "$u $s" | awk '{printf "%.2f", $1 + $2}')
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mib() { echo "$(( $1 / 1024 ))"; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "n/a" }'; }

# pair RUNS "OURS..." "THEIRS...": paired runs, alternating; medians in
# A_W/B_W (wall) and A_C/B_C (CPU), peak RSS in A_R/B_R (KiB). THEIRS may
# be "" (no other side).
pair() {
	local runs=$1 ours=$2 theirs=$3 i
	local aw=() bw=() ac=() bc=()
	A_R=0 B_R=0 B_W=n/a B_C=n/a
	for ((i = 0; i < runs; i++)); do
		once bash -c "$ours"
		aw+=("$W"); ac+=("$C"); (( R > A_R )) && A_R=$R
		if [ -n "$theirs" ]; then
			once bash -c "$theirs"
			bw+=("$W"); bc+=("$C"); (( R > B_R )) && B_R=$R
		fi
	done
	A_W=$(median "${aw[@]}") A_C=$(median "${ac[@]}")
	if [ -n "$theirs" ]; then B_W=$(median "${bw[@]}") B_C=$(median "${bc[@]}"); fi
}

# duck FILE [FORMAT] [AGREEMENT]: the DuckDB command for a file, or "".
duck() {
	local file=$1 format=${2:-} ag=${3:-$AG} q
	[ "$DUCKDB" = yes ] || { echo ""; return; }
	q="$file.sql"
	"$LS" sql -a "$ag" --engine duckdb ${format:+--format "$format"} --from "$file" > "$q"
	echo "node '$BENCH_DIR/run.mjs' '$q' '$BENCH_DIR/duckdb-out.csv'"
}

# row LABEL RUNS FILE [FORMAT] [AGREEMENT]: one row of the table; with
# VS_CMD (another of our commands) and VS_TEXT set, the note compares our
# time with VS_CMD's, timed in runs alternating with ours.
row() {
	local label=$1 runs=$2 file=$3 format=${4:-} ag=${5:-$AG}
	local ours="'$LS' settle -a '$ag' -o json ${format:+--format '$format'} '$file'"
	pair "$runs" "$ours" "$(duck "$file" "$format" "$ag")"
	local r="n/a" their_rss="n/a" their_w="n/a"
	if [ "$B_W" != n/a ]; then r=$(ratio "$A_W" "$B_W"); their_rss=$(mib "$B_R"); their_w="$B_W s"; fi
	local note="CPU $A_C s"
	if [ -n "${VS_CMD:-}" ]; then
		# The goal's ratio from runs of its own, alternating with the
		# file it is compared with: this machine's speed drifts by 2x
		# between minutes, so rows timed apart do not compare.
		local aw=$A_W ac=$A_C ar=$A_R
		pair "$runs" "$ours" "$VS_CMD"
		note="$note; $(ratio "$A_W" "$B_W")× $VS_TEXT (CPU $(ratio "$A_C" "$B_C")×; alternating runs: $A_W s vs $B_W s)"
		A_W=$aw A_C=$ac A_R=$ar
	fi
	printf '| %s | %s s | %s | %s | %s / %s MiB | %s |\n' "$label" "$A_W" "$their_w" "$r" "$(mib "$A_R")" "$their_rss" "$note"
	LAST_W=$A_W
	LAST_C=$A_C
	LAST_RSS=$A_R
}

# settles FILE [AGREEMENT]: the settlements and totals of a file's JSON,
# without its inputs (every layout of the same rows settles to these).
settles() {
	"$LS" settle -a "${2:-$AG}" -o json "$1" 2> /dev/null | sed -n '/"settlements"/,$p' | sha256sum | cut -c1-16
}

if [ -z "${BENCH_SKIP_GO:-}" ]; then
	echo "== go benchmarks (per row or value; allocations)"
	go test -run '^$' -bench . -benchmem ./pkg/money ./pkg/ingest | grep -E '^Benchmark'
fi

big=$(gen "r$BENCH_BIG.csv" "$BENCH_BIG")
plain=$(gen "r$BENCH_ROWS.csv" "$BENCH_ROWS")
semi=$(gen "semicolon$BENCH_ROWS.csv" "$BENCH_ROWS" -layout semicolon)
ledger=$(gen "ledger$BENCH_ROWS.csv" $((BENCH_ROWS * 100 / 428)) -layout ledger) # ~4.28 lines per row
quoted=$(gen "quoted$BENCH_ROWS.csv" "$BENCH_ROWS" -layout quoted)
line2=$(gen "line2-$BENCH_ROWS.csv" "$BENCH_ROWS" -layout quoted-line2)
products=$(gen "products100k-$BENCH_ROWS.csv" "$BENCH_ROWS" -products 100000)
products1m=$(gen "products1m-$BENCH_ROWS.csv" "$BENCH_ROWS" -products 1000000)
hosts=$(gen "hosts1000-$BENCH_ROWS.csv" "$BENCH_ROWS" -hosts "$(seq -f 'h%04g' 1 1000 | paste -sd,)")
gz="$plain.gz"
[ -s "$gz" ] || gzip -c "$plain" > "$gz"
# The agreement of the 1000 hosts: one flat rate each, the same fx.
ag1000=$BENCH_DIR/agreement-1000.yaml
{
	printf 'schema: llamashare/v1\ncurrency: USD\nperiod: quarter\nfx: {rates: fx-rates.csv, method: daily}\nhosts:\n'
	seq -f 'h%04g' 1 1000 | while read -r h; do
		printf '  %s:\n    terms:\n      - from: 2025-01-01\n        deduct: [refunds, taxes]\n        rates:\n          - rate: 10%%\n' "$h"
	done
} > "$ag1000"

echo "== every layout of the same rows settles to the same figures"
want=$(settles "$plain")
for f in "$semi" "$quoted" "$line2" "$gz"; do
	got=$(settles "$f")
	[ "$got" = "$want" ] || { echo "FAIL: $f settles differently from $plain" >&2; exit 1; }
done
echo "ok ($want)"

mb() { echo "$(( $(stat -c %s "$1") / 1000000 ))"; }
echo
echo "== issue 17's table: medians of $BENCH_RUNS paired runs (100k and 1M products: $BENCH_HEAVY_RUNS), $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores"
echo
echo "| case | llamashare settle -o json | DuckDB (llamashare sql query, 2 threads) | ratio | peak RSS (ours / DuckDB) | note |"
echo "|---|---|---|---|---|---|"
row "plain canonical CSV, $((BENCH_BIG / 1000000))M rows, $(mb "$big") MB" "$BENCH_RUNS" "$big"
big_rss=$LAST_RSS big_w=$LAST_W big_c=$LAST_C
row "plain canonical CSV, $((BENCH_ROWS / 1000000))M rows" "$BENCH_RUNS" "$plain"
plain_cmd="'$LS' settle -a '$AG' -o json '$plain'"
big_cmd="'$LS' settle -a '$AG' -o json '$big'"
n="$((BENCH_ROWS / 1000000))M rows"
VS_CMD=$plain_cmd VS_TEXT="our plain file" row "\`;\` + decimal comma + \`DD.MM.YYYY\`, $n" "$BENCH_RUNS" "$semi" semicolon
VS_CMD=$plain_cmd VS_TEXT="our plain file" row "ledger layout (amount + kind), $(($(wc -l < "$ledger") - 1)) lines" "$BENCH_RUNS" "$ledger" ledger
VS_CMD=$plain_cmd VS_TEXT="our plain file" row "every product quoted, $n" "$BENCH_RUNS" "$quoted"
VS_CMD=$plain_cmd VS_TEXT="our plain file" row "only line 2 quoted, $n" "$BENCH_RUNS" "$line2"
row "100k distinct products, $n" "$BENCH_HEAVY_RUNS" "$products"
row "1M distinct products, $n" "$BENCH_HEAVY_RUNS" "$products1m"
VS_CMD=$plain_cmd VS_TEXT="our 8-host time" row "1000 hosts, $n" "$BENCH_RUNS" "$hosts" "" "$ag1000"
VS_CMD=$plain_cmd VS_TEXT="the plain file" row "\`.gz\`, $n" "$BENCH_RUNS" "$gz"

# Parquet twins of the large report, written by DuckDB (DATE, DECIMAL(18, 2)
# or DOUBLE amounts, BIGINT units, its default row groups): issue 18's row.
pq_twin() {
	local type=$1 out=$BENCH_DIR/r$BENCH_BIG-$2.parquet c
	if [ ! -s "$out" ]; then
		c="CAST(date AS DATE) AS date, host, product, region, currency"
		for f in gross refunds taxes fees credits; do c="$c, CAST($f AS $type) AS $f"; done
		echo "SELECT $c, CAST(units AS BIGINT) AS units FROM read_csv('$big', header = true, all_varchar = true)" > "$out.sql"
		node "$BENCH_DIR/run.mjs" "$out.sql" "$out.tmp.parquet" && mv "$out.tmp.parquet" "$out"
	fi
	echo "$out"
}
if [ "$DUCKDB" = yes ]; then
	for t in "DECIMAL(18, 2):decimal" "DOUBLE:double"; do
		twin=$(pq_twin "${t%:*}" "${t#*:}")
		[ "$(settles "$twin")" = "$(settles "$big")" ] || { echo "FAIL: $twin settles differently from $big" >&2; exit 1; }
		VS_CMD=$big_cmd VS_TEXT="its CSV twin (goal ≤ 1.5)" row "Parquet twin, ${t%:*} amounts, $((BENCH_BIG / 1000000))M rows, $(mb "$twin") MB" "$BENCH_RUNS" "$twin"
	done
fi

# validate against settle, and settle against cat, on the large file.
pair "$BENCH_RUNS" "'$LS' validate -a '$AG' '$big'" "'$LS' settle -a '$AG' -o json '$big'"
printf '| `validate` vs `settle`, %sM rows | %s s vs %s s | | %s | %s / %s MiB | validate / settle; CPU %s s vs %s s (%s) |\n' \
	"$((BENCH_BIG / 1000000))" "$A_W" "$B_W" "$(ratio "$A_W" "$B_W")" "$(mib "$A_R")" "$(mib "$B_R")" "$A_C" "$B_C" "$(ratio "$A_C" "$B_C")"
pair "$BENCH_RUNS" "cat '$big' > /dev/null" ""
printf '| plain CSV vs `cat file > /dev/null`, %sM rows | %s s vs %s s | | %s | | %s MB per CPU second (user + sys %s s; cat %s s) |\n' \
	"$((BENCH_BIG / 1000000))" "$big_w" "$A_W" "$(ratio "$big_w" "$A_W")" \
	"$(echo "$(mb "$big") $big_c" | awk '{printf "%.0f", $1 / $2}')" "$big_c" "$A_C"
echo

if (( big_rss > 100 * 1024 )); then
	echo "FAIL: peak RSS $((big_rss / 1024)) MiB on the plain file is over 100 MiB" >&2
	exit 1
fi

# Memory must not grow with rows: what the fast path keeps grows with the
# distinct (host, product, currency, day) keys, which a year of reports
# fills well before 2M rows; the rest is fixed (blocks, caches).
echo "== memory stays flat as rows grow ($BENCH_ROWS vs $((4 * BENCH_ROWS)) rows)"
a=$plain
b=$(gen "r$((4 * BENCH_ROWS)).csv" $((4 * BENCH_ROWS)))
pair 3 "'$LS' settle -a '$AG' -o json '$a'" "'$LS' settle -a '$AG' -o json '$b'"
growth=$(( (B_R - A_R) / 1024 ))
echo "$BENCH_ROWS rows: $(mib "$A_R") MiB, $((4 * BENCH_ROWS)) rows: $(mib "$B_R") MiB (peak of 3 runs each); growth ${growth} MiB"
if (( growth > 10 )); then
	echo "FAIL: peak RSS grew by ${growth} MiB from $BENCH_ROWS to $((4 * BENCH_ROWS)) rows (limit 10 MiB)" >&2
	exit 1
fi
echo "ok"
