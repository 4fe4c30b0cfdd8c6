#!/usr/bin/env bash
# Installs what the project needs on Debian/Ubuntu: the real servers the app and the tests run against, and Chromium
# for the dashboard's browser test (Playwright drives /usr/bin/chromium; never `playwright install`).
# Sourced by eng/run.sh and eng/test.sh. As root it uses apt-get; otherwise it names the missing packages.
set -euo pipefail

# command -> Debian package
declare -A required=(
  [redis-server]=redis-server
  [redis-benchmark]=redis-tools
  [promtool]=prometheus
  [prometheus]=prometheus
  [amtool]=prometheus-alertmanager
  [prometheus-alertmanager]=prometheus-alertmanager
  [prometheus-redis-exporter]=prometheus-redis-exporter
  [prometheus-postgres-exporter]=prometheus-postgres-exporter
  [envsubst]=gettext-base
  [wrk]=wrk
  [setpriv]=util-linux
  [chromium]=chromium
  [docker-compose]=docker-compose
  [kubectl]=kubectl
)

missing=()
for cmd in "${!required[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${required[$cmd]}")
done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts packaged servers as system services; the project runs its own on free ports instead.
    for service in redis-server prometheus prometheus-alertmanager prometheus-redis-exporter prometheus-postgres-exporter prometheus-node-exporter postgresql; do
      (command -v systemctl >/dev/null && systemctl stop "$service" 2>/dev/null) || service "$service" stop >/dev/null 2>&1 || true
    done
  else
    echo "Missing prerequisites. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net): 'dotnet' is not on PATH." >&2
  exit 1
fi
