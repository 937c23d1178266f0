#!/usr/bin/env bash
# Cost growth (SPEC §9: heartbeat and verify latency flat from 1 000 to 1 000 000 stored licenses).
#
#   bench/growth.sh
#
# One server on a scratch PostgreSQL database (as bench/heartbeat.sh), $SESSIONS licenses with a
# live session each. It measures heartbeats and verifies of those licenses at saturation
# ($RUNS alternating wrk runs of $DURATION each), then adds licenses of the same product until
# $GROW_TO are stored (POST /api/admin/licenses/batch, 10 000 at a time), analyses the tables and
# measures the same calls again. Prints both and the ratios.
#
# Knobs (environment): SESSIONS=1000 GROW_TO=1000000 DURATION=20s RUNS=3 WARMUP=180s CONNECTIONS=32
# PORT=18090 PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres HEAP=256m
set -euo pipefail

SESSIONS=${SESSIONS:-1000}
GROW_TO=${GROW_TO:-1000000}
DURATION=${DURATION:-20s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-180s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18090}
HEAP=${HEAP:-256m}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export WRK_THREADS=2
DB=licensor_growth
TOKEN=growth-admin-token-$(date +%s)-$RANDOM
BASE=http://127.0.0.1:$PORT
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
SERVER_PID=

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
require_tools wrk psql vacuumdb curl jq python3
find_java

cleanup() {
  [[ -n "$SERVER_PID" ]] && { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  dropdb --if-exists "$DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

server_jar "$ROOT"

dropdb --if-exists "$DB"; createdb "$DB"
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" LICENSOR_BOOTSTRAP_ADMIN_TOKEN=$TOKEN \
LICENSOR_SECRET=bench-secret-0123456789abcdef0123456789 LICENSOR_DATA_DIR=$WORK/data PORT=$PORT \
LICENSOR_RATELIMIT_ENABLED=false \
  "$JAVA" -Xms$HEAP -Xmx$HEAP -XX:+UseParallelGC -jar "$JAR" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$BASE/actuator/health" >/dev/null || { echo "server did not start"; tail -30 "$WORK/server.log"; exit 1; }

admin() { curl -fsS -X "$1" "$BASE$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$3"; }
PRODUCT=$(admin POST /api/admin/products '{"name":"Growth","key_prefix":"GR","heartbeat_interval":30,"session_timeout":7200}' | jq -r .id)
export API_KEY=$(admin POST "/api/admin/products/$PRODUCT/api-keys" '{}' | jq -r .api_key)
batch() { # n: licenses of the product, keys appended to $WORK/keys.txt
  admin POST /api/admin/licenses/batch "{\"product_id\":$PRODUCT,\"count\":$1,\"device_limit\":1,\"concurrent_sessions_limit\":1}" \
    | jq -r '.license_keys[]' >> "$WORK/${2:-keys}.txt"
}
batch "$SESSIONS"
BASE_URL=$BASE python3 "$ROOT/bench/start_sessions.py" < "$WORK/keys.txt" > "$WORK/sessions.txt"
vacuumdb --analyze-only -q "$DB"
echo "== $SESSIONS licenses with a live session; warming up ($WARMUP)"
SESSIONS_FILE=$WORK/sessions.txt wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s "$ROOT/bench/heartbeat.lua" "$BASE" >/dev/null
ENDPOINT=verify SESSIONS_FILE=$WORK/sessions.txt wrk -t2 -c"$CONNECTIONS" -d60s -s "$ROOT/bench/heartbeat.lua" "$BASE" >/dev/null

ROWS=""
declare -A RPS P50 P99
measure() { # stage: RUNS alternating heartbeat and verify runs
  local stage=$1 endpoint out rps p50 p99 errors
  for run in $(seq 1 "$RUNS"); do
    for endpoint in heartbeat verify; do
      out=$(ENDPOINT=$endpoint SESSIONS_FILE=$WORK/sessions.txt wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
        -s "$ROOT/bench/heartbeat.lua" "$BASE")
      rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out")
      p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<< "$out")")
      p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")
      errors=$(awk '/Non-2xx/ { n += $5 } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<< "$out")
      echo "   $stage $endpoint run $run: $rps/s, p50 $p50 ms, p99 $p99 ms, errors $errors"
      RPS[$stage-$endpoint]+="$rps "; P50[$stage-$endpoint]+="$p50 "; P99[$stage-$endpoint]+="$p99 "
      ROWS+="| $stage | $run | $endpoint | $rps | $p50 | $p99 | $errors |"$'\n'
    done
  done
}
STORED_BEFORE=$(psql -tA -d "$DB" -c "SELECT COUNT(*) FROM licenses")
echo "== measuring with $STORED_BEFORE stored licenses"
measure small

echo "== adding licenses until $GROW_TO are stored"
t0=$(date +%s)
left=$(( GROW_TO - STORED_BEFORE ))
while (( left > 0 )); do
  n=$(( left > 10000 ? 10000 : left ))
  batch "$n" extra
  left=$(( left - n ))
done
STORED_AFTER=$(psql -tA -d "$DB" -c "SELECT COUNT(*) FROM licenses")
echo "   $STORED_AFTER licenses stored ($(( $(date +%s) - t0 )) s); analysing"
vacuumdb --analyze-only -q "$DB"
SESSIONS_FILE=$WORK/sessions.txt wrk -t2 -c"$CONNECTIONS" -d30s -s "$ROOT/bench/heartbeat.lua" "$BASE" >/dev/null
echo "== measuring with $STORED_AFTER stored licenses"
measure large

REPORT=$ROOT/bench/results/growth-$(date -u +%Y%m%dT%H%M%SZ).md
mkdir -p "$ROOT/bench/results"
{
  echo "# Cost growth: $STORED_BEFORE → $STORED_AFTER stored licenses"
  echo
  echo "Machine: $(nproc) cores, $(psql -tA -d "$DB" -c 'SHOW server_version'). $SESSIONS live sessions; wrk -t2 -c$CONNECTIONS -d$DURATION, alternating."
  echo
  echo "| stored | run | call | requests/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
  echo
  echo "| call | requests/s at $STORED_BEFORE | at $STORED_AFTER | ratio | p50 ms | p50 ms | p99 ms | p99 ms |"
  echo "|---|---|---|---|---|---|---|---|"
  for endpoint in heartbeat verify; do
    # shellcheck disable=SC2086
    a=$(median ${RPS[small-$endpoint]}); b=$(median ${RPS[large-$endpoint]})
    # shellcheck disable=SC2086
    echo "| $endpoint (medians) | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }') | $(median ${P50[small-$endpoint]}) | $(median ${P50[large-$endpoint]}) | $(median ${P99[small-$endpoint]}) | $(median ${P99[large-$endpoint]}) |"
  done
} > "$REPORT"
echo; cat "$REPORT"
