#!/usr/bin/env bash
# Measures the AppHost's start-up: wall time from launching the built AppHost to its "All N replicas healthy" line
# (the AppHost's own figure, counted from when its orchestrator starts, is printed too), and the AppHost process's
# resident memory once everything is healthy. Builds first (not measured); then RUNS starts (default 3), each stopped
# with SIGTERM (a background job ignores SIGINT). Extra arguments go to the AppHost, e.g.  AppHost/measure-startup.sh 3 --AppHost:SampleTraffic=true
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build AppHost -c Release -warnaserror -v quiet -nologo >/dev/null
app=artifacts/bin/AppHost/release/Observability.AppHost.dll
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
for run in $(seq 1 "$runs"); do
  # A new, empty file per run: the previous run's line can never be read as this one's.
  log="$logs/run-$run.log"
  : >"$log"
  start=$(date +%s.%N)
  # A session of its own, as a terminal would give it: its Ctrl+C handling then never reaches this script.
  setsid dotnet "$app" "$@" >"$log" 2>&1 </dev/null &
  pid=$!
  deadline=$((SECONDS + 120))
  until line=$(grep -m1 'replicas healthy' "$log"); do
    if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
      echo "run $run: not all healthy within 120 s; see the output:" >&2; cat "$log" >&2; kill -TERM "$pid" 2>/dev/null || true; exit 1
    fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" || true
  awk -v run="$run" -v s="$start" -v e="$end" -v kb="$rss_kb" -v said="${line#*] }" \
    'BEGIN { printf "run %d: launch to all healthy %.2f s (polled every 50 ms); AppHost says: %s; AppHost RSS %.1f MB\n", run, e - s, said, kb / 1024 }'
done
