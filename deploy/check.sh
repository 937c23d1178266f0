#!/usr/bin/env bash
# Static checks of deploy/ that need no containers: the compose file parses and names every
# service it depends on, Prometheus accepts its configuration and rules, and the alert rules pass
# their unit tests (alerts.test.yml). Needs promtool (Debian: prometheus) and python3 with PyYAML
# or docker compose.
set -euo pipefail
cd "$(dirname "$0")"

if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
  LICENSOR_SECRET=x POSTGRES_PASSWORD=x GRAFANA_ADMIN_PASSWORD=x docker compose config -q
  echo "ok: docker compose config"
else
  python3 - <<'PY'
import yaml
compose = yaml.safe_load(open("docker-compose.yml"))
services = compose["services"]
for name, service in services.items():
    for dependency in service.get("depends_on", {}):
        assert dependency in services, f"{name} depends on unknown service {dependency}"
    for volume in service.get("volumes", []):
        source = volume.split(":")[0]
        if not source.startswith("."):
            assert source in compose["volumes"], f"{name} mounts undeclared volume {source}"
print(f"ok: docker-compose.yml parses; {len(services)} services, their dependencies and volumes declared")
PY
fi
promtool check config prometheus/prometheus.yml >/dev/null
echo "ok: promtool check config"
promtool check rules prometheus/alerts.yml >/dev/null
echo "ok: promtool check rules"
promtool test rules prometheus/alerts.test.yml >/dev/null
echo "ok: promtool test rules (every alert fires on its case, none on a healthy server)"
python3 -c "import json; d = json.load(open('grafana/dashboards/licensor.json')); print(f'ok: Grafana dashboard, {len(d[\"panels\"])} panels')"
