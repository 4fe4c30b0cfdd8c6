#!/usr/bin/env bash
# Measures the AppHost's start-up: wall time from launching the built AppHost (http profile environment, local servers)
# to its "All N resources healthy" line, and the resident memory of the AppHost, DCP and the dashboard once everything
# is healthy. Builds first (not measured); then RUNS starts (default 5), each stopped with SIGTERM; prints the p50.
# Extra arguments go to the AppHost, e.g.  AppHost/measure-startup.sh 5 --AppHost:SampleTraffic=true
# Each start waits until the previous one's DCP and services have exited. The data directory (PostgreSQL's, Redis')
# is a new one per invocation, so the first run includes initdb; STARTUP_DATA=dir keeps one across invocations, e.g.
# to alternate two checkouts:  for i in 1 2 3; do for t in ../a ../b; do STARTUP_DATA=/tmp/data-${t##*/} $t/AppHost/measure-startup.sh 1; done; done
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build AppHost -c Release -warnaserror -v quiet -nologo >/dev/null
app=artifacts/bin/AppHost/release/Observability.AppHost
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
times=()
for run in $(seq 1 "$runs"); do
  log="$work/run-$run.log"
  : >"$log"
  start=$(date +%s.%N)
  DOTNET_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:15080 \
  ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:19080 ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:19081 \
  ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:20080 ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    setsid "$app" --AppHost:Servers=local --AppHost:DataDirectory="${STARTUP_DATA:-$work/data}" "$@" >"$log" 2>&1 </dev/null &
  pid=$!
  deadline=$((SECONDS + 180))
  until line=$(grep -m1 'resources healthy' "$log"); do
    if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
      echo "run $run: not all healthy within 180 s; see the output:" >&2; cat "$log" >&2; kill -TERM "$pid" 2>/dev/null || true; exit 1
    fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  dcp=$(pgrep -f -- "--monitor $pid" | head -1 || true)
  controllers=$(pgrep -P "${dcp:-0}" -f run-controllers | head -1 || true)
  dashboard=$(pgrep -P "${controllers:-0}" -f Aspire.Dashboard | head -1 || true)
  rss="AppHost $(rss_mb "$pid") MB, DCP $(( $(rss_mb "${dcp:-0}") + $(rss_mb "${controllers:-0}") )) MB, dashboard $(rss_mb "${dashboard:-0}") MB"
  kill -TERM "$pid"
  wait "$pid" || true
  # DCP stops the resources after the AppHost has gone: the next start waits until no DCP, dashboard or service
  # process is left, not to share the cores with that shutdown.
  for _ in $(seq 1 600); do
    pgrep -f "dcp|Aspire.Dashboard|Observability\.(Gateway|Worker|WebSocketHub)" >/dev/null || break
    sleep 0.1
  done
  t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  times+=("$t")
  echo "run $run: launch to all healthy $t s (polled every 50 ms); AppHost says: ${line#*: }; RSS: $rss"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "p50 of %d runs: %s s\n", NR, a[int((NR + 1) / 2)] }'
