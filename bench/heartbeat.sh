#!/usr/bin/env bash
# Heartbeat load scenario (SPEC §9): one command, all traffic to 127.0.0.1.
#
#   bench/heartbeat.sh
#
# Builds the server jar (unless present), starts it on a scratch PostgreSQL database, creates a
# product and $SESSIONS licenses through the admin API, starts one session per license, warms the
# server up ($WARMUP of heartbeats: the JIT needs a minute or two on two cores), then $RUNS times:
#   1. the reference, in the same run on the same PostgreSQL: pgbench's durable single-row UPDATE
#      rate (tps);
#   2. saturation: heartbeats as fast as $CONNECTIONS connections get answers (wrk, closed loop);
#   3. pacing: heartbeats at exactly the reference rate of step 1 (wrk with a schedule per thread,
#      $PACED_CONNECTIONS connections), which gives the latency at that throughput;
#   4. the framework's floor: GET /api/version/latest, at saturation and paced at the reference
#      rate (no database: what every client call costs before its own work);
#   5. POST /api/license/verify of the same licenses and devices (saturation), which SPEC §9 wants
#      at no less than half of step 4.
# Prints a table of medians and writes it to bench/results/. Each row also says where the CPU went:
# the server's, PostgreSQL's and wrk's CPU time per request (from /proc, over the wrk run), which
# is what decides the latency once the two cores are busy.
#
# MODES lists the heartbeat designs to compare, each served by its own server instance (same
# database, same sessions) and measured alternately in every run: "batched" (the default design,
# licensor.sessions.heartbeat-batching=true), "single" (one UPDATE per heartbeat) and "listener"
# (batched, served by the heartbeat listener, licensor.heartbeat-listener.*, on the mode's port
# + 1000; every other call on the mode's port as usual). "event-loop"
# is not the server but a design experiment (bench/prototype/EventLoopHeartbeat.java, docs/
# PERFORMANCE.md): heartbeats served by event loops with the same batching and signature but
# without the server's other per-request work; it must not come first (the first mode's server
# takes the admin calls and the trivial and verify rows).
#
# The jar is server/target/licensor-server.jar as it is; REBUILD=1 builds it first.
# Knobs (environment): SESSIONS=10000 DURATION=20s WARMUP=90s CONNECTIONS=32 PACED_CONNECTIONS=128
# WRK_THREADS=2 RUNS=3 MODES=batched PORT=18080 PGHOST=127.0.0.1 PGPORT=5432
# PGUSER=postgres HEAP=256m DB_POOL_SIZE=16 JAVA_OPTS=
set -euo pipefail

SESSIONS=${SESSIONS:-10000}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-90s}
CONNECTIONS=${CONNECTIONS:-32}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-128}
export WRK_THREADS=${WRK_THREADS:-2}
RUNS=${RUNS:-3}
PORT=${PORT:-18080}
MODES=${MODES:-batched}
HEAP=${HEAP:-256m}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export DB_POOL_SIZE=${DB_POOL_SIZE:-16}
BENCH_DB=licensor_bench
PGBENCH_DB=licensor_pgbench
ADMIN_TOKEN=bench-admin-token-$(date +%s)-$RANDOM
BASE=http://127.0.0.1:$PORT
declare -a SERVER_PIDS=()

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/results
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d)

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
require_tools wrk pgbench psql vacuumdb curl jq python3

find_java

cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  dropdb --if-exists "$BENCH_DB" 2>/dev/null || true
  dropdb --if-exists "$PGBENCH_DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

server_jar "$ROOT"

echo "== scratch databases"
dropdb --if-exists "$BENCH_DB"; createdb "$BENCH_DB"
dropdb --if-exists "$PGBENCH_DB"; createdb "$PGBENCH_DB"
pgbench -i -s 10 -q "$PGBENCH_DB" >/dev/null 2>&1
cat > "$WORK/update.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\set delta random(-5000, 5000)
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SQL

port_of() { local i=0; for m in $MODES; do [[ "$m" == "$1" ]] && { echo $(( PORT + i )); return; }; i=$(( i + 1 )); done; }
# Where a mode takes heartbeats: the heartbeat listener's port for "listener", else the server's.
heartbeat_url() { echo "http://127.0.0.1:$(( $(port_of "$1") + $([[ $1 == listener ]] && echo 1000 || echo 0) ))"; }
[[ "${MODES%% *}" != event-loop ]] || { echo "MODES: event-loop cannot come first (it has no admin API)"; exit 1; }
start_server() { # mode
  local mode=$1 port; port=$(port_of "$1")
  echo "== starting the server ($mode heartbeats) on :$port"
  # Another process on one of its ports would answer the health check in its place.
  for taken in "$port" $(( port + 1000 )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$taken") 2>/dev/null; then
      echo "port $taken is already in use (another server still running?); set PORT"; exit 1
    fi
  done
  local -a command=(-jar "$JAR")
  if [[ $mode == event-loop ]]; then
    # The experiment runs from its source, with the PostgreSQL driver, AWS-LC and the protocol module (its
    # canonical string) from the server jar.
    mkdir -p "$WORK/lib"
    (cd "$WORK/lib" && "$(dirname "$JAVA")/jar" xf "$JAR" $("$(dirname "$JAVA")/jar" tf "$JAR" \
      | grep -E '^BOOT-INF/lib/(postgresql|AmazonCorrettoCryptoProvider|licensor-protocol)-'))
    command=(--enable-native-access=ALL-UNNAMED -cp "$WORK/lib/BOOT-INF/lib/*" "$ROOT/bench/prototype/EventLoopHeartbeat.java")
  fi
  DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB" \
  LICENSOR_BOOTSTRAP_ADMIN_TOKEN=$ADMIN_TOKEN \
  LICENSOR_SECRET=bench-secret-0123456789abcdef0123456789 \
  LICENSOR_DATA_DIR=$WORK/data-$mode PORT=$port \
  LICENSOR_RATELIMIT_ENABLED=false \
  HEARTBEAT_LISTENER_ENABLED=$([[ $mode == listener ]] && echo true || echo false) \
  HEARTBEAT_LISTENER_PORT=$(( port + 1000 )) \
  HEARTBEAT_BATCHING=$([[ $mode == single ]] && echo false || echo true) \
    "$JAVA" -Xms$HEAP -Xmx$HEAP -XX:+UseParallelGC -Xlog:gc:file="$WORK/gc-$mode.log" ${JAVA_OPTS:-} "${command[@]}" > "$OUT/server-$STAMP-$mode.log" 2>&1 &
  SERVER_PIDS+=($!)
  local pid=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "server died, see $OUT/server-$STAMP-$mode.log"; exit 1; }
    sleep 1
  done
  echo "server did not come up"; exit 1
}
# One server at a time starts, so the first one creates the schema alone.
for mode in $MODES; do start_server "$mode"; done
BASE=http://127.0.0.1:$(port_of "${MODES%% *}")

echo "== product, API key, $SESSIONS licenses"
: > "$WORK/keys.txt"
bench_licenses "$BASE" "$ADMIN_TOKEN" "$SESSIONS" "$WORK/keys.txt"

echo "== starting $SESSIONS sessions"
t0=$(date +%s)
BASE_URL=$BASE python3 "$ROOT/bench/start_sessions.py" < "$WORK/keys.txt" > "$WORK/sessions.txt"
echo "   $(wc -l < "$WORK/sessions.txt") sessions in $(( $(date +%s) - t0 )) s"
# Statistics, as a database in service has them (the tables were filled a moment ago).
vacuumdb --analyze-only -q "$BENCH_DB"

# Warm-up: let the JIT compile the hot path (it takes a minute or two under load on two cores).
for mode in $MODES; do
  echo "== warming up the $mode server ($WARMUP)"
  SESSIONS_FILE=$WORK/sessions.txt wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$ROOT/bench/heartbeat.lua" \
    "$(heartbeat_url "$mode")" >/dev/null
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d10s -H "X-API-Key: $API_KEY" "http://127.0.0.1:$(port_of "$mode")/api/version/latest" >/dev/null
done
ENDPOINT=verify SESSIONS_FILE=$WORK/sessions.txt wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d30s -s "$ROOT/bench/heartbeat.lua" "$BASE" >/dev/null


declare -a R_PG
declare -A R_HB R_P50 R_P99 R_ERR R_CPU_SRV R_CPU_PG R_CPU_WRK
TICK=$(getconf CLK_TCK)
# CPU ticks (user + system) of a process; of every PostgreSQL process; of this script's waited-for
# children (wrk, once it has ended).
ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() { local total=0 pid; for pid in $(pgrep -x postgres); do total=$(( total + $(ticks_of "$pid") )); done; echo "$total"; }
child_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
pid_of() { local i=0; for m in $MODES; do [[ "$m" == "$1" ]] && { echo "${SERVER_PIDS[$i]}"; return; }; i=$(( i + 1 )); done; }
per_request_us() { awk -v t="$1" -v n="$2" -v hz="$TICK" 'BEGIN { if (n > 0) printf "%.0f", t * 1000000 / hz / n; else print "-" }'; }
LABELS=""
for mode in $MODES; do LABELS+="$mode $mode@reference "; done
LABELS+="trivial trivial@reference verify"
ROWS=""
gc_log_of() { local i=0; for m in $MODES; do [[ "${SERVER_PIDS[$i]}" == "$1" ]] && { echo "$WORK/gc-$m.log"; return; }; i=$(( i + 1 )); done; }
# The server's garbage-collection pauses logged since line $2 of its log $1: "count max-ms total-ms".
gc_pauses() { tail -n +"$(( $2 + 1 ))" "$1" | awk '/Pause/ { ms = $NF; sub(/ms$/, "", ms); n++; t += ms; if (ms > m) m = ms }
  END { printf "%d %.1f %.0f", n, m, t }'; }
# The machine's own scheduling delay during a paced run: one thread that asks to wake every 1 ms
# (cyclictest, Debian's rt-tests), and how late it woke: "p99 / longest" in ms. No server work is in
# it; a late wake-up is the machine (the other processes, the hypervisor). "-" without cyclictest.
WAKEUPS_PID=""
wakeups_start() {
  command -v cyclictest >/dev/null || return 0
  cyclictest -q -t1 -i1000 -D"${DURATION%s}" -m -h 100000 > "$WORK/wakeups.txt" 2>"$WORK/wakeups.err" &
  WAKEUPS_PID=$!
}
wakeups_result() {
  [[ -n "$WAKEUPS_PID" ]] || { echo "-"; return; }
  wait "$WAKEUPS_PID" 2>/dev/null || true; WAKEUPS_PID=""
  awk '/^[0-9]/ { h[$1 + 0] = $2; n += $2 } /^# Max Latencies/ { max = $4 + 0 }
    END { if (n == 0) { print "-"; exit } # cyclictest recorded nothing (its error, if any, follows)
      for (us = 0; us < 100000; us++) if ((s += h[us]) >= n * 0.99) break; printf "%.1f / %.1f", us / 1000, max / 1000 }' "$WORK/wakeups.txt"
  [[ ! -s "$WORK/wakeups.err" ]] || sed 's/^/   cyclictest: /' "$WORK/wakeups.err" >&2
}
measure() { # label pg server-pid wrk-args...: runs wrk, records a row
  local label=$1 pg=$2 server=$3; shift 3
  local srv0 pg0 wrk0 gclog gc0 wakeups="-"
  gclog=$(gc_log_of "$server"); gc0=$(wc -l < "$gclog")
  srv0=$(ticks_of "$server"); pg0=$(postgres_ticks); wrk0=$(child_ticks)
  [[ $label != *@reference ]] || wakeups_start
  wrk "$@" > "$WORK/wrk.txt"
  [[ $label != *@reference ]] || wakeups=$(wakeups_result)
  read -r gc_n gc_max gc_total <<< "$(gc_pauses "$gclog" "$gc0")"
  local requests
  requests=$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")
  cpu_srv=$(per_request_us $(( $(ticks_of "$server") - srv0 )) "$requests")
  cpu_pg=$(per_request_us $(( $(postgres_ticks) - pg0 )) "$requests")
  cpu_wrk=$(per_request_us $(( $(child_ticks) - wrk0 )) "$requests")
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")")
  non2xx=$(awk '/Non-2xx/ { print $5 }' "$WORK/wrk.txt"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$WORK/wrk.txt"); sockerr=${sockerr:-0}
  errors=$(( non2xx + sockerr ))
  echo "   $rps requests/s, p50 $p50 ms, p99 $p99 ms, errors $errors; CPU µs per request: server $cpu_srv, PostgreSQL $cpu_pg, wrk $cpu_wrk; GC pauses $gc_n, longest $gc_max ms, $gc_total ms in all; wake-up delay p99 / longest $wakeups ms"
  R_HB[$label]+="$rps "; R_P50[$label]+="$p50 "; R_P99[$label]+="$p99 "; R_ERR[$label]+="$errors "
  R_CPU_SRV[$label]+="$cpu_srv "; R_CPU_PG[$label]+="$cpu_pg "; R_CPU_WRK[$label]+="$cpu_wrk "
  ROWS+="| $run | $label | $pg | $rps | $p50 | $p99 | $errors | $cpu_srv | $cpu_pg | $cpu_wrk | $gc_n / $gc_max / $gc_total | $wakeups | $(cut -d' ' -f1 /proc/loadavg) |"$'\n'
}
for run in $(seq 1 "$RUNS"); do
  echo "== run $run/$RUNS: pgbench (durable single-row UPDATE, -c 8 -j 2 -T 15)"
  pg=$(pgbench -n -c 8 -j 2 -T 15 -f "$WORK/update.sql" "$PGBENCH_DB" 2>/dev/null | awk '/^tps = / { printf "%.0f", $3 }')
  echo "   $pg tps"
  R_PG+=("$pg")
  for mode in $MODES; do
    url=$(heartbeat_url "$mode")
    echo "== run $run/$RUNS: $mode heartbeats at saturation (wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION)"
    SESSIONS_FILE=$WORK/sessions.txt measure "$mode" "$pg" "$(pid_of "$mode")" \
      -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/heartbeat.lua" "$url"
    echo "== run $run/$RUNS: $mode heartbeats paced at the reference rate, $pg/s (-c$PACED_CONNECTIONS)"
    RATE=$pg SESSIONS_FILE=$WORK/sessions.txt measure "$mode@reference" "$pg" "$(pid_of "$mode")" \
      -t"$WRK_THREADS" -c"$PACED_CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/heartbeat.lua" "$url"
  done
  # The floor: the same server's most trivial client-API call (API key check, signing, no database).
  echo "== run $run/$RUNS: trivial endpoint GET /api/version/latest at saturation"
  measure trivial "$pg" "$(pid_of "${MODES%% *}")" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-API-Key: $API_KEY" \
    "$BASE/api/version/latest"
  echo "== run $run/$RUNS: trivial endpoint paced at the reference rate, $pg/s (-c$PACED_CONNECTIONS)"
  ENDPOINT=trivial RATE=$pg SESSIONS_FILE=/dev/null measure trivial@reference "$pg" "$(pid_of "${MODES%% *}")" \
    -t"$WRK_THREADS" -c"$PACED_CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/heartbeat.lua" "$BASE"
  # SPEC §9's other client target: verify at no less than half the trivial endpoint's throughput.
  echo "== run $run/$RUNS: verify (valid, with an offline token) at saturation"
  ENDPOINT=verify SESSIONS_FILE=$WORK/sessions.txt measure verify "$pg" "$(pid_of "${MODES%% *}")" \
    -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/heartbeat.lua" "$BASE"
done

HEARTBEAT_ROWS=$(psql -tA -d "$BENCH_DB" -c "SELECT COUNT(*) FROM heartbeat_log")
REPORT=$OUT/heartbeat-$STAMP.md
{
  echo "# Heartbeat benchmark $STAMP"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(psql -tA -d "$BENCH_DB" -c 'SHOW server_version') ($(uname -sr))."
  echo "Server: $("$JAVA" -version 2>&1 | head -1), -Xmx$HEAP, DB_POOL_SIZE=$DB_POOL_SIZE. Sessions: $SESSIONS. wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION."
  echo "The load column is the 1-minute load average after the wrk run (the machine is shared)."
  echo "A design alone: heartbeats at saturation (wrk -c$CONNECTIONS, closed loop). \"@reference\": paced at the"
  echo "pgbench rate of the same run (-c$PACED_CONNECTIONS); the target is requests/s = that rate with p99 <= 10 ms, 0 errors."
  echo "\"trivial\" is GET /api/version/latest on the same server: the framework's floor, not a heartbeat;"
  echo "\"trivial@reference\" the same paced at the pgbench rate: the latency floor at the target's throughput."
  echo "\"verify\" is POST /api/license/verify of the same licenses and devices (valid, offline token); target >= half of trivial."
  echo "The CPU columns: CPU time per request of the server, of all PostgreSQL processes and of wrk over the wrk run (µs, /proc)."
  echo "GC pauses: the server's garbage-collection pauses during the wrk run (-Xlog:gc): count / longest ms / total ms."
  echo "Wake-up delay (paced rows): how late a thread asking to wake every 1 ms woke during the run (cyclictest): p99 / longest ms."
  echo
  echo "| run | design | pgbench UPDATE tps | requests/s | p50 ms | p99 ms | errors | server CPU µs | PostgreSQL CPU µs | wrk CPU µs | GC pauses | wake-up delay ms | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
  for label in $LABELS; do
    # shellcheck disable=SC2086
    echo "| **median** | **$label** | **$(median "${R_PG[@]}")** | **$(median ${R_HB[$label]})** | **$(median ${R_P50[$label]})** | **$(median ${R_P99[$label]})** | $(median ${R_ERR[$label]}) | $(median ${R_CPU_SRV[$label]}) | $(median ${R_CPU_PG[$label]}) | $(median ${R_CPU_WRK[$label]}) | | | |"
  done
  echo
  echo "Heartbeat-log rows written: $HEARTBEAT_ROWS."
} > "$REPORT"
echo
cat "$REPORT"
