#!/usr/bin/env bash
# The market server's memory at 1,000,000 listings, under a hard limit (issue 4: "server memory
# under 500 MB").
#
# 1. Makes (or reuses) a SQLite data folder holding N published listings, with the market
#    benchmark (`FRUITION_BENCH_KEEP`), and removes its search index.
# 2. Starts `fruition serve` on it inside a memory cgroup limited to LIMIT_MB (default 500),
#    swap included where the kernel accounts it: the server finds no index and rebuilds it from
#    the database before it answers.
# 3. Loads it with wrk, with one connection and with sixteen: first the search API alone (the
#    judged queries with and without filters), then a mix that adds the market page and the
#    listing pages of the hits.
# 4. Restarts the same server on the same index without the limit and loads it with the search
#    API mix again: the baseline, in the same run.
# 5. Reports whether the server stayed up, the cgroup's peak and OOM kills, the process's memory,
#    and the latencies. Exit status 1 when the server died, was OOM-killed or answered non-2xx.
#
#   bash bench/market-memory.sh                  # from the repository root; needs root for cgroups
#   LISTINGS=200000 LIMIT_MB=300 CONNECTIONS=16 MIXES=api bash bench/market-memory.sh
#
# Knobs: LISTINGS (1000000), LIMIT_MB (500), DATA (/tmp/fruition-market-memory-$LISTINGS; reused
# when it already holds a database), DURATION (30s per run), CONNECTIONS ("1 16": a wrk run for
# each count), MIXES ("api mixed": the request mixes, one after the other), SKIP_BUILD=1, KEEP=1
# (keep the data folder), BASELINE=0 (skip the run without the limit).
set -euo pipefail
cd "$(dirname "$0")/.."

LISTINGS=${LISTINGS:-1000000}
LIMIT_MB=${LIMIT_MB:-500}
DATA=${DATA:-/tmp/fruition-market-memory-$LISTINGS}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-1 16}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/bench-release}
BIN=$CARGO_TARGET_DIR/release/fruition
OUT=bench/out
mkdir -p "$OUT"
REPORT=$OUT/market-memory-$(date +%Y%m%d-%H%M%S).txt

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    cargo build --release -p fruition
fi

if [ ! -f "$DATA/fruition.db" ]; then
    echo "== making $LISTINGS listings in $DATA (the market benchmark, SQLite only)"
    DATA_MADE_HERE=1
    FRUITION_TEST_DATABASE_URL= FRUITION_BENCH_LISTINGS=$LISTINGS FRUITION_BENCH_KEEP=$DATA \
        cargo bench -p fruition --bench market | tee "$OUT/market-memory-make.txt"
fi
rm -rf "$DATA/search-index"

# The memory cgroup: v1 (memory controller mounted on its own) or v2 (unified).
NAME=fruition-bench-$$
if [ -d /sys/fs/cgroup/memory ]; then
    CG=/sys/fs/cgroup/memory/$NAME
    mkdir "$CG"
    echo $((LIMIT_MB * 1024 * 1024)) >"$CG/memory.limit_in_bytes"
    [ -f "$CG/memory.memsw.limit_in_bytes" ] && echo $((LIMIT_MB * 1024 * 1024)) >"$CG/memory.memsw.limit_in_bytes"
    peak() { cat "$CG/memory.max_usage_in_bytes"; }
    ooms() { awk '/oom_kill /{print $2} END{}' "$CG/memory.oom_control" | head -1; }
    hits() { cat "$CG/memory.failcnt"; }
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    CG=/sys/fs/cgroup/$NAME
    mkdir "$CG"
    echo $((LIMIT_MB * 1024 * 1024)) >"$CG/memory.max"
    [ -f "$CG/memory.swap.max" ] && echo 0 >"$CG/memory.swap.max"
    peak() { cat "$CG/memory.peak" 2>/dev/null || echo 0; }
    ooms() { awk '/oom_kill /{print $2}' "$CG/memory.events"; }
    hits() { awk '/^max /{print $2}' "$CG/memory.events"; }
else
    echo "no memory cgroup to limit the server with" >&2
    exit 2
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$OUT/market-memory-server.log
SERVER=
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    rmdir "$CG" 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] || [ -z "${DATA_MADE_HERE:-}" ] || rm -rf "$DATA"
}
trap cleanup EXIT

echo "== serving $DATA under a ${LIMIT_MB} MB memory limit on port $PORT"
START=$(date +%s.%N)
sh -c "echo \$\$ > '$CG/cgroup.procs'; exec '$BIN' serve --data '$DATA' --listen 127.0.0.1:$PORT" >"$LOG" 2>&1 &
SERVER=$!
until curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "the server died while starting (index rebuild); OOM kills: $(ooms)" | tee -a "$REPORT"
        tail -20 "$LOG"
        exit 1
    fi
    sleep 0.2
done
READY=$(python3 -c "print(f'{$(date +%s.%N) - $START:.1f}')")
PEAK_REBUILD=$(peak)
status() { grep -E "^($1):" "/proc/$SERVER/status" | awk '{printf "%s %d MB  ", $1, $2/1024}'; }
AFTER_REBUILD=$(status 'VmRSS|RssAnon|RssFile|VmHWM')

# The request paths. "api": every judged query on the search API, then the same with a kind and a
# readiness filter (the issue's figure). "mixed": those, the market page for each query, and the
# listing pages of the first hits.
paths_lua() {
    python3 - "$PORT" "$1" <<'EOF'
import json, sys, urllib.parse, urllib.request
port, mix = sys.argv[1], sys.argv[2]
queries = [l.split("\t")[0] for l in open("crates/search/data/judged_queries.tsv", encoding="utf-8")
           if l.strip() and not l.startswith("#") and not l.startswith("query\t")]
paths = []
for q in queries:
    e = urllib.parse.quote(q)
    paths.append(f"/api/v1/listings?q={e}")
    paths.append(f"/api/v1/listings?q={e}&kind=achievement&trl_min=5")
    if mix == "mixed":
        paths.append(f"/market?q={e}")
if mix == "mixed":
    for q in queries[:20]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/listings?q={urllib.parse.quote(q)}") as r:
            for item in json.load(r)["hits"][:3]:
                paths.append(f"/market/listings/{item['listing']['id']}")
print("paths = {" + ",".join(json.dumps(p) for p in paths) + "}")
print("""
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end""")
EOF
}
SUMMARY=()
NON2XX=
# load LABEL MIX...: a wrk run of each mix at each connection count, against the server on PORT.
load() {
    local label=$1 mix lua c threads wrk bad
    shift
    for mix in "$@"; do
        lua=$(mktemp --suffix=.lua)
        paths_lua "$mix" >"$lua"
        for c in $CONNECTIONS; do
            threads=$((c < 2 ? c : 2))
            echo "== $label, $mix: wrk -t$threads -c$c -d$DURATION over $(grep -o '"/' "$lua" | wc -l) paths"
            wrk=$(wrk -t"$threads" -c"$c" -d"$DURATION" --latency -s "$lua" "http://127.0.0.1:$PORT")
            echo "$wrk"
            bad=$(echo "$wrk" | awk '/Non-2xx/{print $NF}')
            if [ -n "$bad" ]; then NON2XX="$NON2XX $label/$mix/$c:$bad"; fi
            SUMMARY+=("wrk $label, $mix, $c connections: $(echo "$wrk" | grep -E 'Requests/sec') | p50 $(echo "$wrk" | awk '$1=="50%"{print $2}') p90 $(echo "$wrk" | awk '$1=="90%"{print $2}') p99 $(echo "$wrk" | awk '$1=="99%"{print $2}') | non-2xx ${bad:-0}")
        done
        rm -f "$lua"
    done
}
# shellcheck disable=SC2086 # MIXES is a list
load "limit ${LIMIT_MB} MB" ${MIXES:-api mixed}

ALIVE=yes
kill -0 "$SERVER" 2>/dev/null || ALIVE=no
AFTER_LOAD=$( [ $ALIVE = yes ] && status 'VmRSS|RssAnon|RssFile|VmHWM' || echo "(gone)")
PEAK=$(peak) HITS=$(hits) OOMS=$(ooms)

# The baseline in the same run: the same server and index without the limit, the search API.
if [ "${BASELINE:-1}" = 1 ] && [ "$ALIVE" = yes ]; then
    kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
    echo "== the baseline: the same server without the memory limit"
    "$BIN" serve --data "$DATA" --listen "127.0.0.1:$PORT" >>"$LOG" 2>&1 &
    SERVER=$!
    until curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do
        kill -0 "$SERVER" 2>/dev/null || { echo "the baseline server died" >&2; exit 1; }
        sleep 0.2
    done
    load "no limit (baseline)" api
fi
{
    echo "market server memory, $(date -Is), $LISTINGS listings, limit ${LIMIT_MB} MB, commit $(git rev-parse --short HEAD)"
    echo "index rebuilt at start and ready after: ${READY} s"
    echo "cgroup peak during the rebuild: $(($PEAK_REBUILD / 1048576)) MB (page cache included)"
    echo "process after the rebuild: $AFTER_REBUILD"
    printf '%s\n' "${SUMMARY[@]}"
    echo "process after the load: $AFTER_LOAD"
    echo "cgroup peak overall: $((PEAK / 1048576)) MB; times the limit was reached: $HITS; OOM kills: $OOMS"
    echo "server alive at the end: $ALIVE"
} | tee -a "$REPORT"
[ "$ALIVE" = yes ] && [ -z "$NON2XX" ] && [ "$OOMS" = 0 ]
