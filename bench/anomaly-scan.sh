#!/usr/bin/env bash
# What the anomaly scan costs under verify traffic (docs/PERFORMANCE.md, "The anomaly scan").
#
#   bench/anomaly-scan.sh
#
# Starts the server (server/target/licensor-server.jar as it is; REBUILD=1 builds it) on a scratch
# PostgreSQL database with the scan's debug line on, creates a product and $SESSIONS licenses with
# one session each, sends POST /api/license/verify at saturation for $LOAD (wrk, every license,
# valid answers: one validation-log row each), then waits for $ROUNDS_AFTER more rounds of the scan.
# Prints each round's duration and how much of the log it read, and, as the reference on the same
# data, what the statements of the scan before it (commit 29c1d6f: aggregates over the log's whole
# 24-hour window, and the key-enumeration count through the index on `at`) take when psql runs
# them, $REPEAT times. Writes the output to bench/results/.
#
# Knobs (environment): SESSIONS=5000 LOAD=120s ROUNDS_AFTER=3 INTERVAL_MS=60000 CONNECTIONS=32
# WRK_THREADS=2 REPEAT=5 PORT=18090 PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres HEAP=256m
set -euo pipefail

SESSIONS=${SESSIONS:-5000}
LOAD=${LOAD:-120s}
ROUNDS_AFTER=${ROUNDS_AFTER:-3}
INTERVAL_MS=${INTERVAL_MS:-60000}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
REPEAT=${REPEAT:-5}
PORT=${PORT:-18090}
HEAP=${HEAP:-256m}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=licensor_scan_bench
ADMIN_TOKEN=bench-admin-token-$(date +%s)-$RANDOM
BASE=http://127.0.0.1:$PORT

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/results
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d)
LOG=$OUT/server-$STAMP-anomaly-scan.log

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
require_tools wrk psql vacuumdb curl jq python3
find_java

SERVER_PID=
cleanup() {
  [[ -z "$SERVER_PID" ]] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  dropdb --if-exists "$DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

server_jar "$ROOT"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "port $PORT is already in use (another server still running?); set PORT"; exit 1
fi

exec > >(tee "$OUT/anomaly-scan-$STAMP.txt") 2>&1
echo "# bench/anomaly-scan.sh $(date -u +%FT%TZ) on $(hostname), $(nproc) CPUs; commit $(git -C "$ROOT" describe --always --dirty)"
echo "# SESSIONS=$SESSIONS LOAD=$LOAD INTERVAL_MS=$INTERVAL_MS CONNECTIONS=$CONNECTIONS"

dropdb --if-exists "$DB"; createdb "$DB"
echo "== starting the server on :$PORT (scan every $INTERVAL_MS ms)"
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" \
LICENSOR_BOOTSTRAP_ADMIN_TOKEN=$ADMIN_TOKEN \
LICENSOR_SECRET=bench-secret-0123456789abcdef0123456789 \
LICENSOR_DATA_DIR=$WORK/data PORT=$PORT LICENSOR_RATELIMIT_ENABLED=false \
  "$JAVA" -Xms$HEAP -Xmx$HEAP -XX:+UseParallelGC -jar "$JAR" \
  --licensor.anomaly.scan-interval-ms="$INTERVAL_MS" \
  --logging.level.dev.licensor.server.abuse.Anomalies=debug > "$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died, see $LOG"; exit 1; }
  sleep 1
done

echo "== product, API key, $SESSIONS licenses and sessions"
: > "$WORK/keys.txt"
bench_licenses "$BASE" "$ADMIN_TOKEN" "$SESSIONS" "$WORK/keys.txt"
BASE_URL=$BASE python3 "$ROOT/bench/start_sessions.py" < "$WORK/keys.txt" > "$WORK/sessions.txt"
vacuumdb --analyze-only -q "$DB"

rounds() { grep -c 'Anomaly scan took' "$LOG" || true; }
echo "== verify at saturation for $LOAD ($CONNECTIONS connections)"
before=$(rounds)
ENDPOINT=verify SESSIONS_FILE=$WORK/sessions.txt wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$LOAD" \
  -s "$ROOT/bench/heartbeat.lua" "$BASE" | grep -E 'Requests/sec|Non-2xx|Socket errors' || true
during=$(( $(rounds) - before ))
echo "== waiting for $ROUNDS_AFTER more rounds"
target=$(( $(rounds) + ROUNDS_AFTER ))
while (( $(rounds) < target )); do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died, see $LOG"; exit 1; }
  sleep 2
done
echo "validation-log rows: $(psql -qtAX -d "$DB" -c 'SELECT COUNT(*) FROM validation_log')"

echo
echo "== the scan's rounds (the last $(( during + ROUNDS_AFTER )): $during during the load, then $ROUNDS_AFTER after)"
grep 'Anomaly scan took' "$LOG" | sed -E 's/^([^ ]+) .*Anomaly scan took/\1 took/' | tail -n $(( during + ROUNDS_AFTER ))
durations=$(grep 'Anomaly scan took' "$LOG" | tail -n $(( during + ROUNDS_AFTER )) | sed -E 's/.*took ([0-9]+) ms.*/\1/')
# shellcheck disable=SC2086
echo "median $(median $durations) ms, max $(printf '%s\n' $durations | sort -g | tail -1) ms"

echo
echo "== reference: the earlier scan's statements on the same data (psql, $REPEAT times)"
# The enumeration count ran through the index on `at` before the partial index existed: dropped for
# the statement inside a transaction that is rolled back (nothing writes the log now).
cat > "$WORK/old-scan.sql" <<'SQL'
\timing on
SELECT COUNT(*) FROM (SELECT license_id, COUNT(DISTINCT ip) AS n FROM validation_log
  WHERE at >= now() - interval '24 hours' AND license_id IS NOT NULL AND ip IS NOT NULL
  GROUP BY license_id HAVING COUNT(DISTINCT ip) > 5) t;
SELECT COUNT(*) FROM (SELECT v.license_id, l.device_limit, COUNT(DISTINCT v.hardware_hash) AS n
  FROM validation_log v JOIN licenses l ON l.id = v.license_id
  WHERE v.at >= now() - interval '24 hours' AND v.hardware_hash IS NOT NULL
  GROUP BY v.license_id, l.device_limit HAVING COUNT(DISTINCT v.hardware_hash) > l.device_limit + 3) t;
SELECT COUNT(*) FROM (SELECT license_id, COUNT(*) AS total,
    SUM(CASE WHEN result_code IN ('VALID', 'GRACE_PERIOD') THEN 0 ELSE 1 END) AS failed
  FROM validation_log WHERE at >= now() - interval '24 hours' AND action = 'verify' AND license_id IS NOT NULL
  GROUP BY license_id HAVING COUNT(*) >= 20) t;
BEGIN;
DROP INDEX ix_validation_log_unknown_key_attempts;
SELECT COUNT(*) FROM (SELECT ip, COUNT(*) AS n FROM validation_log
  WHERE at >= now() - interval '10 minutes' AND ip IS NOT NULL AND result_code IN ('LICENSE_NOT_FOUND', 'NOT_FOUND')
  GROUP BY ip HAVING COUNT(*) > 20) t;
ROLLBACK;
SQL
declare -a totals=()
for i in $(seq 1 "$REPEAT"); do
  # The four statements' times (BEGIN, DROP INDEX and ROLLBACK are the fourth, fifth and seventh).
  times=$(psql -qX -d "$DB" -f "$WORK/old-scan.sql" | awk '/^Time:/ { print $2 }')
  total=$(printf '%s\n' "$times" | awk 'NR == 1 || NR == 2 || NR == 3 || NR == 6 { s += $1 } END { printf "%.0f", s }')
  echo "run $i: $(printf '%s\n' "$times" | awk 'NR == 1 || NR == 2 || NR == 3 || NR == 6 { printf "%.0f ", $1 }')ms -> $total ms"
  totals+=("$total")
done
echo "median $(median "${totals[@]}") ms"
