#!/usr/bin/env bash
# Crash-consistency proof for Fruition: kill -9 the server during concurrent writes (market
# listings created and published, bookings, bill payments with a voucher part, CSV imports),
# restart it on the same data, and check every acknowledged write, the books, the search index
# and the database's own integrity — on SQLite and on PostgreSQL. See bench/README.md.
#
#   bash bench/crash.sh
#
# Knobs (environment): CYCLES (kills per engine, 5), ENGINES ("sqlite postgres"),
# MIN_WRITE / MAX_WRITE (seconds of writes before each kill, 1 / 4), LISTING_WRITERS (2),
# IMPORT_ROWS (rows per import, 5), IMPORT_PAUSE (seconds between one writer's imports, 0.05),
# SEED (random), SKIP_BUILD=1 (use the binary already built), KEEP=1 (keep the temp data folder
# with the server logs), SELF_TEST=1 (record one fake acknowledged write of each kind: the run
# must report them lost and fail), DATABASE_URL (the PostgreSQL server on which a throwaway database is
# created and dropped; postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

CYCLES=${CYCLES:-5}
ENGINES=${ENGINES:-sqlite postgres}
MIN_WRITE=${MIN_WRITE:-1}
MAX_WRITE=${MAX_WRITE:-4}
LISTING_WRITERS=${LISTING_WRITERS:-2}
IMPORT_ROWS=${IMPORT_ROWS:-5}
IMPORT_PAUSE=${IMPORT_PAUSE:-0.05}
SEED=${SEED:-$RANDOM$RANDOM}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
TARGET_DIR=${CARGO_TARGET_DIR_BENCH:-$ROOT/target/bench-release}
BIN=$TARGET_DIR/release/fruition

log() { printf '[crash] %s\n' "$*" >&2; }
die() { printf '[crash] FAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. Build and tools
# ---------------------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    log "building the release binary into $TARGET_DIR (slow on a busy machine)"
    CARGO_TARGET_DIR=$TARGET_DIR cargo build --release -p fruition >&2
fi
[[ -x $BIN ]] || die "no binary at $BIN"
command -v python3 >/dev/null 2>&1 || die "python3 is required (standard library only)"
python3 -c 'import sqlite3' || die "python3 lacks the sqlite3 module"

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
DATA=$(mktemp -d "${TMPDIR:-/tmp}/fruition-crash.XXXXXX")
PG_DB=""
PG_ADMIN_URL=""

stop_server() { # the server the driver started last, by the pid it wrote
    local pidfile=$1 pid
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

drop_pg() {
    if [[ -n $PG_DB ]]; then
        psql -X -q -d "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
            || log "could not drop database $PG_DB"
        PG_DB=""
    fi
}

cleanup() {
    local rc=$?
    local f
    for f in "$DATA"/*/server.pid; do
        [[ -e $f ]] && stop_server "$f"
    done
    drop_pg
    if [[ ${KEEP:-0} == 1 ]]; then
        log "kept data dir $DATA"
    else
        rm -rf "$DATA"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "data dir $DATA, binary $BIN, engines: $ENGINES, $CYCLES cycles each, seed $SEED"

# ---------------------------------------------------------------------------------------------
# 2. Each engine: a fresh database, the demo data, CYCLES kills
# ---------------------------------------------------------------------------------------------
RESULTS=()
RC=0
i=0
for engine in $ENGINES; do
    i=$((i + 1))
    dir=$DATA/$engine
    mkdir -p "$dir/data" "$dir/logs"
    db_args=()
    case $engine in
        sqlite) ;;
        postgres)
            command -v psql >/dev/null 2>&1 || die "psql is required for the PostgreSQL run"
            PG_ADMIN_URL=$DATABASE_URL
            PG_DB="fruition_crash_$$_$i"
            psql -X -q -d "$PG_ADMIN_URL" -c "CREATE DATABASE \"$PG_DB\"" >/dev/null \
                || die "could not create database $PG_DB on $(sed 's#://[^@]*@#://…@#' <<<"$PG_ADMIN_URL")"
            # The same server and credentials, the throwaway database.
            db_args=(--database "${PG_ADMIN_URL%/*}/$PG_DB")
            ;;
        *) die "unknown engine '$engine' (sqlite or postgres)" ;;
    esac
    port=$(free_port)
    log "$engine: port $port"
    set +e
    python3 "$ROOT/bench/crash/driver.py" --engine "$engine" --bin "$BIN" --data "$dir/data" \
        "${db_args[@]}" --port "$port" --logs "$dir/logs" --pidfile "$dir/server.pid" \
        --out "$dir/summary.json" --cycles "$CYCLES" --min-write "$MIN_WRITE" \
        --max-write "$MAX_WRITE" --listing-writers "$LISTING_WRITERS" \
        --import-rows "$IMPORT_ROWS" --import-pause "$IMPORT_PAUSE" \
        $([[ ${SELF_TEST:-0} == 1 ]] && echo --self-test) --seed "$((SEED + i))" --tag "${engine:0:1}${i}$((SEED % 1000))"
    rc=$?
    set -e
    stop_server "$dir/server.pid"
    drop_pg
    [[ -f $dir/summary.json ]] || die "$engine: the driver wrote no summary (exit $rc)"
    RESULTS+=("$dir/summary.json")
    if ((rc != 0)); then
        log "$engine: driver exit $rc (1: lost writes or a failed check; 2: the run broke off)"
        RC=1
    fi
done

# ---------------------------------------------------------------------------------------------
# 3. Report
# ---------------------------------------------------------------------------------------------
STAMP=$(date +%Y-%m-%d)
mkdir -p "$ROOT/bench/out"
REPORT=$ROOT/bench/out/crash-$STAMP.md
[[ -e $REPORT ]] && REPORT=$ROOT/bench/out/crash-$STAMP-$(date +%H%M%S).md
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
    echo "# Fruition crash-consistency run — $(date '+%Y-%m-%d %H:%M %Z')"
    echo
    echo "Commit \`$REV\`, binary built $(date -r "$BIN" '+%Y-%m-%d %H:%M')$([[ ${SKIP_BUILD:-0} == 1 ]] && echo ' (SKIP_BUILD: may predate the commit)');" \
        "$(nproc) cores ($CPU_MODEL), load average before the run $LOAD_BEFORE; seed $SEED;" \
        "writes for ${MIN_WRITE}–${MAX_WRITE} s before each kill -9, $LISTING_WRITERS listing writers, $IMPORT_ROWS rows per import, ${IMPORT_PAUSE} s between imports."
    echo
    python3 "$ROOT/bench/crash/report.py" "${RESULTS[@]}"
} >"$REPORT"
cat "$REPORT"
log "report written to ${REPORT#"$ROOT"/}"
((RC == 0)) || die "something acknowledged was lost, a check failed or a run broke off (see the report)"
