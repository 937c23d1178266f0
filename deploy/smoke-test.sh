#!/usr/bin/env bash
# Runs the deploy/ nginx configuration in front of two Licensor instances on this machine (no
# containers needed) and checks what the compose stack promises: TLS at nginx, HTTP redirected,
# the client API spread over both instances, session limits held across them (one database),
# signed answers through the proxy, metrics not reachable from outside, and client addresses that
# cannot be spoofed with X-Forwarded-For, and a panel log-in that holds on both instances.
#
#   deploy/smoke-test.sh
#
# Needs: a built server jar (built if missing), nginx, openssl, curl, jq, and PostgreSQL
# (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres; a scratch database is created and
# dropped). Redis at REDIS_URL (default redis://127.0.0.1:6379) if it answers, as in the stack.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=licensor_deploy_smoke
PORT1=${PORT1:-18181} PORT2=${PORT2:-18182} HTTP_PORT=${HTTP_PORT:-18480} HTTPS_PORT=${HTTPS_PORT:-18443}
TOKEN=smoke-admin-token-$RANDOM-$RANDOM
SECRET=smoke-secret-0123456789abcdef0123456789abcdef
PASSWORD=smoke-Password-$RANDOM-$RANDOM
WORK=$(mktemp -d)
PIDS=()

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
require_tools nginx openssl curl jq psql
find_java

cleanup() {
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  dropdb --if-exists "$DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$WORK"/*.log; do echo "--- $f"; tail -20 "$f"; done; exit 1; }
ok() { echo "ok: $*"; }

JAR=$ROOT/server/target/licensor-server.jar
[[ -f "$JAR" ]] || (cd "$ROOT" && ./mvnw -q -DskipTests package)

REDIS=${REDIS_URL:-redis://127.0.0.1:6379}
redis_env=()
hostport=${REDIS#redis://}
if (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null; then redis_env=(REDIS_URL="$REDIS"); fi

dropdb --if-exists "$DB"; createdb "$DB"
start() { # port: an instance as the compose file starts it
  env DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" "${redis_env[@]}" \
    LICENSOR_SECRET=$SECRET LICENSOR_BOOTSTRAP_ADMIN_TOKEN=$TOKEN LICENSOR_BOOTSTRAP_ADMIN_PASSWORD=$PASSWORD \
    LICENSOR_DATA_DIR="$WORK/data-$1" \
    SERVER_FORWARD_HEADERS_STRATEGY=native PORT=$1 \
    HEARTBEAT_LISTENER_ENABLED=true HEARTBEAT_LISTENER_PORT=$(( $1 + 1000 )) \
    "$JAVA" -Xmx256m -jar "$JAR" > "$WORK/server-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$1/actuator/health" >/dev/null 2>&1 && return 0
    sleep 1
  done
  fail "instance on :$1 did not start"
}
start "$PORT1"   # the first one creates the schema, as in the compose file
start "$PORT2"
ok "two instances on :$PORT1 and :$PORT2, one database"

# The shipped nginx configuration, with the compose service names and ports mapped to this machine.
openssl req -x509 -newkey rsa:2048 -sha256 -days 1 -nodes -keyout "$WORK/licensor.key" -out "$WORK/licensor.crt" \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
sed -e "s/licensor-1:8080/127.0.0.1:$PORT1/; s/licensor-2:8080/127.0.0.1:$PORT2/" \
    -e "s/licensor-1:8081/127.0.0.1:$(( PORT1 + 1000 ))/; s/licensor-2:8081/127.0.0.1:$(( PORT2 + 1000 ))/" \
    -e "s/listen 80;/listen $HTTP_PORT;/; s/listen \[::\]:80;//" \
    -e "s/listen 443 ssl http2;/listen $HTTPS_PORT ssl http2;/; s/listen \[::\]:443 ssl http2;//" \
    -e "s#/etc/nginx/certs#$WORK#" "$ROOT/deploy/nginx/licensor.conf" > "$WORK/licensor.conf"
cat > "$WORK/nginx.conf" <<CONF
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
    log_format upstream '\$request_uri \$upstream_addr \$status';
    access_log $WORK/nginx-access.log upstream;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    include $WORK/licensor.conf;
}
CONF
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK" || fail "nginx refuses the configuration"
nginx -c "$WORK/nginx.conf" -p "$WORK"
ok "nginx accepts deploy/nginx/licensor.conf"

CURL=(curl -sS --cacert "$WORK/licensor.crt" --resolve "localhost:$HTTPS_PORT:127.0.0.1")
B=https://localhost:$HTTPS_PORT
admin() { "${CURL[@]}" -X "$1" "$B$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
client() { "${CURL[@]}" -X POST "$B$1" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -d "$2" "${@:3}"; }

code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/api/keys")
[[ "$code" == "301 https://127.0.0.1/api/keys" ]] || fail "plain HTTP is not redirected to HTTPS: $code"
ok "HTTP redirects to HTTPS"

[[ $("${CURL[@]}" "$B/actuator/health" | jq -r .status) == UP ]] || fail "health through nginx"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$B/actuator/prometheus")
[[ "$code" == 404 ]] || fail "metrics reachable from outside: $code"
ok "health is public, metrics are not ($code)"

PRODUCT=$(admin POST /api/admin/products '{"name":"Smoke","key_prefix":"SM","heartbeat_interval":30,"session_timeout":120,"auto_activate_on_session":true}' | jq -r .id)
API_KEY=$(admin POST "/api/admin/products/$PRODUCT/api-keys" '{}' | jq -r .api_key)
KEY=$(admin POST /api/admin/licenses "{\"product_id\":$PRODUCT,\"device_limit\":5,\"concurrent_sessions_limit\":1}" | jq -r .license_key)
[[ "$KEY" == SM-* ]] || fail "could not create a license through nginx"
ok "admin API through nginx: product, API key, license $KEY"

headers=$(client /api/license/verify "{\"license_key\":\"$KEY\"}" -D - -o /dev/null)
grep -qi '^x-licensor-signature: keyid=' <<< "$headers" || fail "no signature on a client answer through nginx"
for _ in $(seq 1 20); do client /api/license/verify "{\"license_key\":\"$KEY\"}" -o /dev/null; done
served() { curl -s "http://127.0.0.1:$1/actuator/prometheus" | awk '/^http_server_requests_seconds_count/ && /uri="\/api\/license\/verify"/ { n += $NF } END { print n + 0 }'; }
n1=$(served "$PORT1"); n2=$(served "$PORT2")
(( n1 > 0 && n2 > 0 )) || fail "the client API is not spread over both instances ($n1 / $n2)"
ok "client answers are signed; 21 verifies spread over both instances ($n1 + $n2)"

starts=""
for device in a b c d; do
  status=$(client /api/license/session/start \
    "{\"license_key\":\"$KEY\",\"machine_id\":\"m-$device\",\"hardware_hash\":\"hw-$device\",\"version\":\"1.0.0\"}" \
    -o "$WORK/start-$device.json" -w '%{http_code}')
  starts+="$status "
done
[[ "$starts" == "200 409 409 409 " ]] || fail "session limit 1 across two instances: $starts"
[[ $(jq -r .code "$WORK/start-b.json") == SESSION_LIMIT_REACHED ]] || fail "expected SESSION_LIMIT_REACHED"
live=$(psql -tA -d "$DB" -c "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL")
[[ "$live" == 1 ]] || fail "$live live sessions in the database for a limit of 1"
ok "session limit held across the instances: $starts(1 live session in the database)"

client /api/license/verify "{\"license_key\":\"$KEY\",\"hardware_hash\":\"spoof-check\"}" -H 'X-Forwarded-For: 203.0.113.99' -o /dev/null
sleep 1   # the validation log is written in batches
ips=$(admin GET "/api/admin/validations?license_key=$KEY&size=100" | jq -r '[.items[].ip] | unique | join(",")')
[[ "$ips" == 127.0.0.1 ]] || fail "client addresses as logged: $ips (want 127.0.0.1 only; 203.0.113.99 would be a spoof)"
ok "client addresses come from nginx, a forged X-Forwarded-For is ignored"

# Heartbeats go to the heartbeat listeners (instance port + 1000), spread over both, and the
# listener, too, takes the client's address from nginx and not from a forged header.
TOKEN_A=$(jq -r .session_token "$WORK/start-a.json")
beats=""
for _ in $(seq 1 10); do
  beats+="$(client /api/license/session/heartbeat "{\"session_token\":\"$TOKEN_A\",\"license_key\":\"$KEY\"}" \
    -H 'X-Forwarded-For: 203.0.113.98' -o /dev/null -w '%{http_code}') "
done
[[ "$beats" == "$(printf '200 %.0s' $(seq 1 10))" ]] || fail "heartbeats through nginx: $beats"
upstreams=$(awk '$1 == "/api/license/session/heartbeat" { print $2 }' "$WORK/nginx-access.log" | sort -u | tr '\n' ' ')
[[ "$upstreams" == "127.0.0.1:$(( PORT1 + 1000 )) 127.0.0.1:$(( PORT2 + 1000 )) " ]] \
  || fail "heartbeats not served by both heartbeat listeners: $upstreams"
sleep 1   # heartbeat-log rows of the slow path are written in batches
ips=$(psql -tA -d "$DB" -c "SELECT string_agg(DISTINCT ip, ',') FROM heartbeat_log")
[[ "$ips" == 127.0.0.1 ]] || fail "heartbeat addresses as logged: $ips (want 127.0.0.1 only)"
ok "10 heartbeats through nginx, served by both heartbeat listeners ($upstreams), client address from nginx"

# The panel keeps its log-ins in the database: nginx spreads a browser's pages over both instances,
# and each instance, asked directly, knows the log-in.
JAR_COOKIES=$WORK/cookies.txt
page=$("${CURL[@]}" -c "$JAR_COOKIES" -b "$JAR_COOKIES" "$B/admin/login")
csrf=$(grep -o 'name="_csrf" value="[^"]*"' <<< "$page" | head -1 | sed 's/.*value="//; s/"$//')
[[ -n "$csrf" ]] || fail "no CSRF token on the panel's log-in page"
"${CURL[@]}" -c "$JAR_COOKIES" -b "$JAR_COOKIES" -o /dev/null -X POST "$B/admin/login" \
  --data-urlencode "username=admin" --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$csrf"
pages=""
for _ in $(seq 1 10); do pages+="$("${CURL[@]}" -b "$JAR_COOKIES" -o /dev/null -w '%{http_code}' "$B/admin/licenses") "; done
[[ "$pages" == "$(printf '200 %.0s' $(seq 1 10))" ]] || fail "panel pages after log-in through nginx: $pages"
session=$(awk '$6 == "SESSION" { print $7 }' "$JAR_COOKIES")
[[ -n "$session" ]] || fail "no SESSION cookie after the log-in"
for port in "$PORT1" "$PORT2"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: SESSION=$session" "http://127.0.0.1:$port/admin/licenses")
  [[ "$code" == 200 ]] || fail "the instance on :$port does not know the log-in (HTTP $code)"
done
ok "panel log-in through nginx holds on both instances: 10 pages through nginx and one from each, all 200"
echo "deploy smoke test passed"
