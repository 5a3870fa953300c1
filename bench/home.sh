#!/usr/bin/env bash
# Each role's home page (its work queue, the navigation's facts, the bureau's headline figures) on
# the demo data, signed in with a session as a person is, against /healthz (a static route of the
# same binary) in the same run. Target: every home page p99 < 50 ms. See bench/README.md.
#
#   bash bench/home.sh
#
# Knobs (environment): THREADS (2), CONNECTIONS (4), DURATION (10s), SKIP_BUILD=1 (use the binary
# already built), KEEP=1 (keep the temp data dir).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-4}
DURATION=${DURATION:-10s}
TARGET_DIR=${CARGO_TARGET_DIR_BENCH:-$ROOT/target/bench-release}
BIN=$TARGET_DIR/release/fruition
P99_TARGET_MS=50
PASSWORD=demo-password-2024
ACCOUNTS=(demo.admin demo.staff demo.carrier demo.enterprise demo.institution demo.bank demo.guarantor demo.investor demo.service demo.viewer)

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAILED: %s\n' "$*" >&2; exit 1; }

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    log "building the release binary into $TARGET_DIR"
    CARGO_TARGET_DIR=$TARGET_DIR cargo build --release -p fruition >&2
fi
[[ -x $BIN ]] || die "no binary at $BIN"
if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >&2
fi

DATA=$(mktemp -d "${TMPDIR:-/tmp}/fruition-home.XXXXXX")
SERVER_PID=""
cleanup() {
    local rc=$?
    [[ -n $SERVER_PID ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [[ ${KEEP:-0} == 1 ]] && log "kept $DATA" || rm -rf "$DATA"
    exit $rc
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "loading the demo data and serving on $PORT"
"$BIN" serve --demo --data "$DATA/data" --listen "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DATA/server.log" >&2; die "the server stopped"; }
    sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || die "not ready"

to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else printf "%s", v }'
}

# "rps p50 p99 non2xx" of wrk on a path, with any extra wrk arguments.
run() {
    local path=$1; shift
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "http://127.0.0.1:$PORT$path")
    local rps p50 p99 bad
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
    echo "$rps $p50 $p99 ${bad:-0}"
}

# A session cookie for a demo account, signed in through the form as a browser does.
session() {
    local login=$1 jar=$DATA/jar-$1 token
    token=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/sign-in" |
        sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
    curl -fs -b "$jar" -c "$jar" -o /dev/null \
        --data-urlencode "login=$login" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "csrf_token=$token" "http://127.0.0.1:$PORT/sign-in"
    awk '$6 ~ /^fruition_session/ { printf "%s=%s", $6, $7 }' "$jar"
}

read -r H_RPS H_P50 H_P99 _ < <(run /healthz)
log "/healthz: $H_RPS req/s, p50 $H_P50 ms, p99 $H_P99 ms"
FAILED=0
ROWS=""
for login in "${ACCOUNTS[@]}"; do
    cookie=$(session "$login")
    [[ -n $cookie ]] || die "no session for $login"
    # The page must be the signed-in home, not the sign-in form.
    page=$(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$PORT/")
    [[ $page == *'action="/sign-out"'* ]] || die "$login's home page is not signed in"
    read -r rps p50 p99 bad < <(run / -H "Cookie: $cookie")
    verdict=ok
    if awk -v p="$p99" -v t="$P99_TARGET_MS" 'BEGIN { exit !(p >= t) }' || [[ $bad != 0 ]]; then
        verdict=MISSED
        FAILED=1
    fi
    log "$login: $rps req/s, p50 $p50 ms, p99 $p99 ms ($verdict)"
    ROWS+="| \`$login\` | $rps | $p50 | $p99 | $verdict |"$'\n'
done

cat <<EOF

| home page (\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION\`) | req/s | p50 ms | p99 ms | p99 < $P99_TARGET_MS ms |
|---|---|---|---|---|
| baseline \`/healthz\` | $H_RPS | $H_P50 | $H_P99 | |
$ROWS
EOF
exit $FAILED
