#!/usr/bin/env bash
# What the worker's wake-up design costs, measured on the whole application as the AppHost runs it (local
# redis-server and postgres, 2 worker replicas, the simulated LLM provider):
#   1. idle: each worker replica's CPU (utime + stime from /proc) over IDLE_SECONDS with nothing submitted, after
#      SETTLE seconds (the first minute after start is not idle: the first stuck-run sweep at 60 s compiles its EF Core
#      query, and the periodic code reaches its final JIT tier; measured: ~5 % of a core in that minute, docs/benchmarks.md);
#   2. light load: RUNS workflows submitted one every INTERVAL seconds to the gateway, then, from PostgreSQL,
#      submit -> run started (the gateway's commit to a worker taking the job: relay, nudge, XREADGROUP) and
#      submit -> first step started (adds the planning call), p50 / p99 / max.
# Usage: Benchmarks/Worker.Benchmarks/pickup.sh [IDLE_SECONDS=60] [RUNS=100] [INTERVAL=0.5] [SETTLE=120]
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/Worker.Benchmarks/pickup-lib.sh
idle_seconds="${1:-60}"
runs="${2:-100}"
interval="${3:-0.5}"
settle="${4:-120}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build AppHost -c Release -warnaserror -v quiet -nologo >/dev/null
work="$(mktemp -d)"
chmod 755 "$work"
log="$work/apphost.log"
DOTNET_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:15090 \
ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:19090 ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:19091 \
ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:20090 ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
  setsid artifacts/bin/AppHost/release/Observability.AppHost --AppHost:Servers=local --AppHost:DataDirectory="$work/data" \
  >"$log" 2>&1 </dev/null &
apphost=$!
trap 'kill -TERM "$apphost" 2>/dev/null; wait "$apphost" 2>/dev/null; rm -rf "$work"' EXIT
deadline=$((SECONDS + 300))
until grep -q 'resources healthy' "$log"; do
  if ((SECONDS > deadline)) || ! kill -0 "$apphost" 2>/dev/null; then echo "the AppHost did not get healthy:" >&2; cat "$log" >&2; exit 1; fi
  sleep 0.2
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# The services' processes and what Aspire gave them, read from their environment.
env_of() { tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p" | head -1; }
workers=$(pgrep -f 'Observability.Worker' | while read -r pid; do [ -n "$(env_of "$pid" ConnectionStrings__workflows 2>/dev/null)" ] && echo "$pid"; done || true)
gateway=$(pgrep -f 'Observability.Gateway' | while read -r pid; do [ -n "$(env_of "$pid" ASPNETCORE_URLS 2>/dev/null)" ] && echo "$pid"; done | head -1)
[ -n "$workers" ] && [ -n "$gateway" ] || { echo "worker or gateway process not found" >&2; exit 1; }
gateway_url=$(env_of "$gateway" ASPNETCORE_URLS | cut -d';' -f1)
connection=$(env_of "$(echo "$workers" | head -1)" ConnectionStrings__workflows)
field() { echo "$connection" | tr ';' '\n' | sed -n "s/^$1=//Ip" | head -1; }
export PGHOST="$(field Host)" PGPORT="$(field Port)" PGUSER="$(field Username)" PGPASSWORD="$(field Password)" PGDATABASE="$(field Database)"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
sleep "$settle"   # not a synchronisation: the start-up minute is left out of the idle window
declare -A before
for pid in $workers; do before[$pid]=$(ticks "$pid"); done
sleep "$idle_seconds"   # the measurement window itself, not a synchronisation
for pid in $workers; do
  used=$(( $(ticks "$pid") - before[$pid] ))
  awk -v u="$used" -v hz="$hz" -v s="$idle_seconds" -v p="$pid" \
    'BEGIN { printf "idle worker %s: %.2f s CPU in %d s = %.2f%% of one core\n", p, u / hz, s, 100 * u / hz / s }'
done

echo "submitting $runs workflows, one every $interval s, to $gateway_url"
submit_runs "$gateway_url" "$runs" "$interval" pickup
wait_for_runs 120
report_pickup pickup
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
