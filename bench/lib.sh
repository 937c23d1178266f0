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
