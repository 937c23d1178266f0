# Shared by the scripts of bench/ and deploy/smoke-test.sh (sourced, not run).

# require_tools TOOL... : exits naming the first missing one.
require_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool (apt-get install -y wrk postgresql-client jq curl nginx; rt-tests for the wake-up column)"; exit 1; }
  done
}

# Sets JAVA to a JDK >= 21 (the machine's default java may be older), or exits. JAVA set by the
# caller wins.
find_java() {
  JAVA=${JAVA:-}
  if [[ -z "$JAVA" ]]; then
    local candidate major
    for candidate in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
      [[ -x "$candidate" ]] || continue
      major=$("$candidate" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
      if [[ "${major%%.*}" -ge 21 ]]; then JAVA=$candidate; break; fi
    done
  fi
  [[ -n "$JAVA" ]] || { echo "needs a JDK 21 or newer (set JAVA=/path/to/java)"; exit 1; }
}

# to_ms LATENCY : a wrk latency (812.00us, 2.31ms, 1.02s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# median NUMBER... : the median.
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# bench_licenses BASE ADMIN_TOKEN COUNT KEYS_FILE : a product with an API key (exported as API_KEY)
# and COUNT licenses of device and session limit 1 (10 000 a call), their keys appended to
# KEYS_FILE. The session timeout is long, so that no session times out between the runs of a long
# benchmark.
bench_licenses() {
  local base=$1 count=$3 file=$4 product n
  local -a headers=(-H "Authorization: Bearer $2" -H 'Content-Type: application/json')
  product=$(curl -fsS -X POST "$base/api/admin/products" "${headers[@]}" \
    -d '{"name":"Bench","key_prefix":"BN","heartbeat_interval":30,"session_timeout":7200}' | jq -r .id)
  API_KEY=$(curl -fsS -X POST "$base/api/admin/products/$product/api-keys" "${headers[@]}" -d '{}' | jq -r .api_key)
  export API_KEY
  while (( count > 0 )); do
    n=$(( count > 10000 ? 10000 : count ))
    curl -fsS -X POST "$base/api/admin/licenses/batch" "${headers[@]}" \
      -d "{\"product_id\":$product,\"count\":$n,\"device_limit\":1,\"concurrent_sessions_limit\":1}" \
      | jq -r '.license_keys[]' >> "$file"
    count=$(( count - n ))
  done
}

# server_jar ROOT : sets JAR to ROOT's server jar, building it first when there is none or REBUILD
# is set (otherwise the jar is measured as it is, whatever commit built it).
server_jar() {
  JAR=$1/server/target/licensor-server.jar
  if [[ ! -f "$JAR" || -n "${REBUILD:-}" ]]; then
    echo "== building the server jar"
    (cd "$1" && ./mvnw -q -DskipTests package)
  fi
}
