#!/usr/bin/env bash
# CPU of ONE idle Worker started from a tree's Release build output (Production environment, its output folder as
# working directory, its own PostgreSQL 15 and redis-server from local-servers.sh, nothing submitted): waits SETTLE
# seconds after /ready (start-up JIT and the first sweep are not idle), then reads the process's utime + stime from
# /proc/PID/stat over SECONDS and reports them as a share of one core, with the Redis clients (and how many are blocked).
# Usage: [SETTLE=150] Benchmarks/Worker.Benchmarks/idle-cpu.sh [TREE=.] [SECONDS=60]
set -euo pipefail
tree="$(realpath "${1:-.}")"
seconds="${2:-60}"
settle="${SETTLE:-150}"
worker_dll="$tree/artifacts/bin/Worker/release/Observability.Worker.dll"
[ -f "$worker_dll" ] || { echo "$worker_dll not found: build $tree in Release first" >&2; exit 2; }
source "$(dirname "$0")/../local-servers.sh"
port=$(free_port)
worker=""
cleanup() {
  [ -n "$worker" ] && kill -TERM "$worker" 2>/dev/null && wait "$worker" 2>/dev/null
  stop_local_servers
}
trap cleanup EXIT
start_local_servers
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
export ConnectionStrings__workflows="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=workflows"
export ConnectionStrings__cache="127.0.0.1:$redis_port"
unset OTEL_EXPORTER_OTLP_ENDPOINT
(cd "$(dirname "$worker_dll")" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Workflows__Worker__ConsumerName=idle-worker \
  dotnet "$worker_dll" >"$work/worker.log" 2>&1 </dev/null) &
worker=$!
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null; do
  kill -0 "$worker" 2>/dev/null || { echo "worker exited:" >&2; tail -50 "$work/worker.log" >&2; exit 1; }
  sleep 0.2
done
echo "tree: $tree ($(git -C "$tree" describe --always --dirty 2>/dev/null || echo unknown)); ready, settling $settle s"
sleep "$settle"
ticks=$(getconf CLK_TCK)
cpu0=$(awk '{print $14 + $15}' "/proc/$worker/stat"); t0=$(date +%s.%N)
sleep "$seconds"
cpu1=$(awk '{print $14 + $15}' "/proc/$worker/stat"); t1=$(date +%s.%N)
echo "worker idle CPU over $(echo "$t1 - $t0" | bc) s: $(echo "scale=3; 100 * ($cpu1 - $cpu0) / $ticks / ($t1 - $t0)" | bc) % of a core ($((cpu1 - cpu0)) ticks); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "redis clients: $(redis-cli -p "$redis_port" client list | grep -c .), blocked: $(redis-cli -p "$redis_port" client list | grep -c 'flags=b')"
