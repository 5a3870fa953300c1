#!/usr/bin/env bash
# Platform-foundation benchmark for Fruition: ready time on an existing database, idle and
# loaded memory, and /api/v1/me throughput against /healthz (a static route of the same binary)
# measured in the same run. See bench/README.md.
#
#   bash bench/foundation.sh
#
# Knobs (environment): RUNS (ready-time repetitions, 5), THREADS (2), CONNECTIONS (64),
# DURATION (15s), SKIP_BUILD=1 (use the binary already built), KEEP=1 (keep the temp data dir).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

RUNS=${RUNS:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-15s}
TARGET_DIR=${CARGO_TARGET_DIR_BENCH:-$ROOT/target/bench-release}
BIN=$TARGET_DIR/release/fruition
NEW_PASSWORD=bench-password-123

# Targets.
READY_TARGET_MS=1000
RSS_TARGET_MB=50
RATIO_TARGET=0.5

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. Build and tools
# ---------------------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    log "building the release binary into $TARGET_DIR (slow on a busy machine)"
    CARGO_TARGET_DIR=$TARGET_DIR cargo build --release -p fruition >&2
fi
[[ -x $BIN ]] || die "no binary at $BIN"

if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >&2
fi
for tool in curl wrk awk sort; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
DATA=$(mktemp -d "${TMPDIR:-/tmp}/fruition-bench.XXXXXX")
SERVER_PID=""

stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 200); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.025
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

cleanup() {
    local rc=$?
    stop_server
    if [[ ${KEEP:-0} == 1 ]]; then
        log "kept data dir $DATA"
    else
        rm -rf "$DATA"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nobody listens on.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    die "no free port found"
}

now_ns() { date +%s%N; }

# Starts `serve` in the background; sets SERVER_PID. Output goes to $DATA/serve-$1.{out,err}.
start_server() {
    local tag=$1
    "$BIN" --data "$DATA/db" serve --listen "127.0.0.1:$PORT" \
        >"$DATA/serve-$tag.out" 2>"$DATA/serve-$tag.err" &
    SERVER_PID=$!
}

# Polls /readyz every ~5 ms until it answers 200; prints the HTTP status last seen on failure.
wait_ready() {
    local deadline=$(( $(now_ns) + 30000000000 )) code
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/readyz" || true)
        [[ $code == 200 ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DATA"/serve-*.err >&2; die "server exited before ready"; }
        (( $(now_ns) < deadline )) || die "not ready after 30 s (last status $code)"
        sleep 0.005
    done
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Converts a wrk duration (e.g. 512.00us, 3.21ms, 1.02s) to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n = n / 1000
        else if (v ~ /ms$/) n = n
        else if (v ~ /m$/) n = n * 60000
        else if (v ~ /s$/) n = n * 1000
        printf "%.2f", n
    }'
}

# Runs wrk against a path; writes "rps p50_ms p99_ms non2xx errors server_cpu_pct" to
# $DATA/wrk-$name.vals and keeps the raw output in $DATA/wrk-$name.txt. (Not run in a subshell,
# so that a failure here stops the script.)
run_wrk() {
    local name=$1 path=$2; shift 2
    local out=$DATA/wrk-$name.txt
    local hz t0 t1 c0 c1
    hz=$(getconf CLK_TCK)
    c0=$(cpu_ticks "$SERVER_PID"); t0=$(now_ns)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" \
        "http://127.0.0.1:$PORT$path" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $path"; }
    c1=$(cpu_ticks "$SERVER_PID"); t1=$(now_ns)
    cat "$out" >&2
    local rps p50 p99 non2xx errors cpu
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
    errors=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); gsub(/ /, ""); print }' "$out")
    cpu=$(awk -v c="$((c1 - c0))" -v hz="$hz" -v ns="$((t1 - t0))" \
        'BEGIN { printf "%.0f", 100 * (c / hz) / (ns / 1e9) }')
    [[ -n $rps ]] || die "could not read Requests/sec from wrk output ($out)"
    echo "$rps $p50 $p99 ${non2xx:-0} ${errors:-none} $cpu" >"$DATA/wrk-$name.vals"
}

ok() { # value target comparison -> ✅/❌
    awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
        pass = (op == "<") ? (v < t) : (v >= t)
        print pass ? "✅ pass" : "❌ FAIL"
    }'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PORT=$(free_port)
[[ $PORT =~ ^[0-9]+$ ]] || die "could not pick a free port"
log "data dir $DATA, port $PORT, binary $BIN"

# ---------------------------------------------------------------------------------------------
# 2. First start: create the database, capture the one-time password
# ---------------------------------------------------------------------------------------------
start_server first
wait_ready
OTP=""
for _ in $(seq 1 200); do
    OTP=$(sed -n 's/^First start: created administrator admin with one-time password \([^ ]*\) .*/\1/p' \
        "$DATA/serve-first.out")
    [[ -n $OTP ]] && break
    sleep 0.01
done
[[ -n $OTP ]] || { cat "$DATA/serve-first.out" >&2; die "no one-time password printed on first start"; }
log "first start done; one-time password captured"
stop_server

# ---------------------------------------------------------------------------------------------
# 3. Ready time on an existing database
# ---------------------------------------------------------------------------------------------
READY_MS=()
SELF_MS=()
for i in $(seq 1 "$RUNS"); do
    t0=$(now_ns)
    start_server "ready$i"
    wait_ready
    t1=$(now_ns)
    READY_MS+=("$(( (t1 - t0) / 1000000 ))")
    # The server's own figure (open + migrate check + bind), from its "ready" log line.
    self=$(sed -e 's/\x1b\[[0-9;]*m//g' "$DATA/serve-ready$i.err" | sed -n 's/.*ready_ms=\([0-9]*\).*/\1/p' | head -1)
    SELF_MS+=("${self:-?}")
    stop_server
done
mapfile -t SORTED < <(printf '%s\n' "${READY_MS[@]}" | sort -n)
READY_MIN=${SORTED[0]}
READY_MAX=${SORTED[${#SORTED[@]}-1]}
READY_MED=${SORTED[$(( ${#SORTED[@]} / 2 ))]}
log "ready times (ms): ${READY_MS[*]}  (server's own ready_ms: ${SELF_MS[*]})"

# ---------------------------------------------------------------------------------------------
# 4. Idle memory
# ---------------------------------------------------------------------------------------------
start_server load
wait_ready
sleep 2
RSS_IDLE_KB=$(rss_kb "$SERVER_PID")
log "idle RSS ${RSS_IDLE_KB} kB"

# ---------------------------------------------------------------------------------------------
# 5. Token, password change, load
# ---------------------------------------------------------------------------------------------
TOKEN=$("$BIN" --data "$DATA/db" user token admin --name bench 2>>"$DATA/cli.err" | tail -1 | tr -d '[:space:]')
[[ $TOKEN =~ ^[0-9a-f]{64}$ ]] || { cat "$DATA/cli.err" >&2; die "user token printed '$TOKEN', not a 64-hex token"; }

code=$(curl -s -o "$DATA/password.json" -w '%{http_code}' -X PUT \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data "{\"current_password\": \"$OTP\", \"new_password\": \"$NEW_PASSWORD\"}" \
    "http://127.0.0.1:$PORT/api/v1/me/password")
[[ $code == 200 ]] || { cat "$DATA/password.json" >&2; die "PUT /api/v1/me/password answered $code"; }

code=$(curl -s -o "$DATA/me.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/v1/me")
[[ $code == 200 ]] || { cat "$DATA/me.json" >&2; die "GET /api/v1/me answered $code with the token"; }
grep -q '"must_change_password":false' "$DATA/me.json" \
    || log "warning: /api/v1/me does not show must_change_password=false: $(head -c 300 "$DATA/me.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")
[[ $code == 200 ]] || die "GET /healthz answered $code"

log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION /healthz"
run_wrk healthz /healthz
read -r H_RPS H_P50 H_P99 H_NON2XX H_ERR H_CPU <"$DATA/wrk-healthz.vals"
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION /api/v1/me"
run_wrk me /api/v1/me -H "Authorization: Bearer $TOKEN"
read -r M_RPS M_P50 M_P99 M_NON2XX M_ERR M_CPU <"$DATA/wrk-me.vals"

RSS_LOAD_KB=$(rss_kb "$SERVER_PID")
HWM_KB=$(hwm_kb "$SERVER_PID")
RATIO=$(awk -v a="$M_RPS" -v b="$H_RPS" 'BEGIN { printf "%.2f", a / b }')

FLAGS=()
[[ $H_NON2XX == 0 ]] || FLAGS+=("/healthz had $H_NON2XX non-2xx responses")
[[ $M_NON2XX == 0 ]] || FLAGS+=("/api/v1/me had $M_NON2XX non-2xx responses")
[[ $H_ERR == none ]] || FLAGS+=("/healthz socket errors: $H_ERR")
[[ $M_ERR == none ]] || FLAGS+=("/api/v1/me socket errors: $M_ERR")

# ---------------------------------------------------------------------------------------------
# 6. Report
# ---------------------------------------------------------------------------------------------
STAMP=$(date +%Y-%m-%d)
mkdir -p "$ROOT/bench/out"
REPORT=$ROOT/bench/out/foundation-$STAMP.md
[[ -e $REPORT ]] && REPORT=$ROOT/bench/out/foundation-$STAMP-$(date +%H%M%S).md
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -qv '^?? bench/' && echo " (uncommitted changes)" || true)
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

{
    echo "# Fruition foundation benchmark — $(date '+%Y-%m-%d %H:%M %Z')"
    echo
    echo "Commit \`$REV\`$DIRTY, binary built $(date -r "$BIN" '+%Y-%m-%d %H:%M')$([[ ${SKIP_BUILD:-0} == 1 ]] && echo ' (SKIP_BUILD: may predate the commit)');" \
        "$(nproc) cores ($CPU_MODEL), load average before the run $LOAD_BEFORE; SQLite in a fresh temp dir;" \
        "wrk \`-t$THREADS -c$CONNECTIONS -d$DURATION --latency\` on the same machine as the server."
    echo
    echo "| Figure | Measured | Target | Result |"
    echo "| --- | --- | --- | --- |"
    echo "| Ready time, existing DB (process start → /readyz 200), min / median / max of $RUNS | ${READY_MIN} / ${READY_MED} / ${READY_MAX} ms | < ${READY_TARGET_MS} ms | $(ok "$READY_MAX" "$READY_TARGET_MS" "<") |"
    echo "| Server's own ready_ms (log), per run | ${SELF_MS[*]} ms | — | info |"
    echo "| Idle RSS (2 s after ready) | $(kb_to_mb "$RSS_IDLE_KB") MB | < ${RSS_TARGET_MB} MB | $(ok "$(kb_to_mb "$RSS_IDLE_KB")" "$RSS_TARGET_MB" "<") |"
    echo "| RSS after load (peak VmHWM) | $(kb_to_mb "$RSS_LOAD_KB") MB ($(kb_to_mb "$HWM_KB") MB) | — | info |"
    echo "| /healthz throughput (baseline) | ${H_RPS} req/s | — | info |"
    echo "| /healthz latency p50 / p99 | ${H_P50} / ${H_P99} ms | — | info |"
    echo "| /healthz server CPU | ${H_CPU} % of one core | — | info |"
    echo "| /api/v1/me throughput (Bearer token) | ${M_RPS} req/s | — | info |"
    echo "| /api/v1/me latency p50 / p99 | ${M_P50} / ${M_P99} ms | — | info |"
    echo "| /api/v1/me server CPU | ${M_CPU} % of one core | — | info |"
    echo "| Ratio /api/v1/me ÷ /healthz | ${RATIO} | ≥ ${RATIO_TARGET} | $(ok "$RATIO" "$RATIO_TARGET" ">=") |"
    echo "| Non-2xx responses (healthz / me) | ${H_NON2XX} / ${M_NON2XX} | 0 | $([[ $H_NON2XX == 0 && $M_NON2XX == 0 ]] && echo "✅ pass" || echo "❌ FAIL") |"
    echo "| Socket errors (healthz / me) | ${H_ERR} / ${M_ERR} | none | $([[ $H_ERR == none && $M_ERR == none ]] && echo "✅ pass" || echo "⚠️ flag") |"
    if ((${#FLAGS[@]})); then
        echo
        for f in "${FLAGS[@]}"; do echo "- ⚠️ $f"; done
    fi
    echo
    echo "wrk and the server share the machine's cores, so absolute req/s understate a dedicated"
    echo "server; the ratio is the comparable figure."
} >"$REPORT"

cat "$REPORT"
log "report written to ${REPORT#"$ROOT"/}"

# Non-2xx responses make the load figures meaningless: fail the run.
if [[ $H_NON2XX != 0 || $M_NON2XX != 0 ]]; then
    die "wrk saw non-2xx responses (see the report)"
fi
