#!/usr/bin/env bash
# Submit -> run started / first step started under light load, on the Gateway and ONE Worker started from a tree's
# Release build output, without the AppHost, so that any two trees (e.g. one from before the move to
# StackExchange.Redis, whose AppHost is another orchestrator) are measured the same way. Starts its own PostgreSQL 15
# (fsync off) and redis-server on free loopback ports, the Gateway and then the Worker (Production environment, their
# build output folders as working directories so their appsettings.json apply; the simulated model answers at once so
# a run never waits for a free slot: Workflows:Worker:Concurrency stays at its default), submits WARMUP runs and waits
# for them (first calls, JIT), then RUNS runs one every INTERVAL seconds, and reports from PostgreSQL's timestamps
# (pickup-lib.sh): submit -> run started, split at the outbox's sent_at, and submit -> first step started.
# Usage: [PICKUP_HOPS=DIR] Benchmarks/Worker.Benchmarks/pickup-processes.sh [TREE=.] [RUNS=60] [INTERVAL=1] [WARMUP=10]
#   TREE: a repository checkout built with `dotnet build Observability.sln -c Release` (artifacts/bin/{Gateway,Worker}/release).
#   PICKUP_HOPS: a diagnosis, not a measurement: records the socket system calls of the Gateway, the Worker,
#   redis-server and PostgreSQL during the measured runs (`perf record`, root) into DIR and prints where each pickup's
#   time goes hop by hop (pickup-hops.py; tracing every call slows each hop a little, so compare traced runs only
#   with traced runs).
# Compare two trees by alternating them: A B B A.
set -euo pipefail
source "$(dirname "$0")/pickup-lib.sh"
tree="$(realpath "${1:-.}")"
runs="${2:-60}"
interval="${3:-1}"
warmup="${4:-10}"
gateway_dll="$tree/artifacts/bin/Gateway/release/Observability.Gateway.dll"
worker_dll="$tree/artifacts/bin/Worker/release/Observability.Worker.dll"
for dll in "$gateway_dll" "$worker_dll"; do
  [ -f "$dll" ] || { echo "$dll not found: build $tree in Release first" >&2; exit 2; }
done
source "$(dirname "$0")/../local-servers.sh"
gateway_port=$(free_port); worker_port=$(free_port)
gateway=""; worker=""
cleanup() {
  for pid in $worker $gateway; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  stop_local_servers
}
trap cleanup EXIT
start_local_servers
export PGHOST=127.0.0.1 PGPORT="$pg_port" PGUSER=postgres PGDATABASE=workflows
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
export ConnectionStrings__workflows="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=workflows"
export ConnectionStrings__cache="127.0.0.1:$redis_port"
unset OTEL_EXPORTER_OTLP_ENDPOINT

# start NAME DLL PORT [VAR=VALUE...]: the service from its output folder, its log in $work/NAME.log; waits for /ready.
start() {
  local name=$1 dll=$2 port=$3; shift 3
  (cd "$(dirname "$dll")" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" "$@" dotnet "$dll" >"$work/$name.log" 2>&1 </dev/null) &
  local pid=$!
  local deadline=$((SECONDS + 120))
  until curl -fs "http://127.0.0.1:$port/ready" >/dev/null; do
    if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then echo "$name did not get ready:" >&2; tail -50 "$work/$name.log" >&2; exit 1; fi
    sleep 0.2
  done
  started_pid=$pid
}
start gateway "$gateway_dll" "$gateway_port" \
  EventTickets__SigningKey="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" Gateway__EventsBaseUrl=http://127.0.0.1:1
gateway=$started_pid
start worker "$worker_dll" "$worker_port" \
  Workflows__Worker__ConsumerName=pickup-worker Llm__Simulated__MedianLatency=00:00:00 Llm__Simulated__P95Latency=00:00:00
worker=$started_pid
url="http://127.0.0.1:$gateway_port"

echo "tree: $tree ($(git -C "$tree" describe --always --dirty 2>/dev/null || echo unknown))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
submit_runs "$url" "$warmup" "$interval" warmup
wait_for_runs 60
echo "submitting $runs workflows, one every $interval s"
hops="${PICKUP_HOPS:-}"
if [ -n "$hops" ]; then
  mkdir -p "$hops"
  redis_pid=$(redis-cli -p "$redis_port" info server | tr -d '\r' | sed -n 's/^process_id://p')
  postmaster=$(head -1 "$work/pg/postmaster.pid")
  traced="$gateway,$worker,$redis_pid,$postmaster$(pgrep -P "$postmaster" | sed 's/^/,/' | tr -d '\n')"
  echo "gateway=$gateway worker=$worker redis=$redis_pid redis_port=$redis_port pg_port=$pg_port" \
    "offset_us=$(python3 -c 'import time; print(round((time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_MONOTONIC)) * 1e6))')" >"$hops/pids.txt"
  calls=""
  for call in read recvfrom recvmsg readv epoll_wait epoll_pwait; do calls="$calls,syscalls:sys_enter_$call,syscalls:sys_exit_$call"; done
  for call in write sendto sendmsg writev; do calls="$calls,syscalls:sys_enter_$call"; done
  perf record -q -k CLOCK_MONOTONIC -p "$traced" -o "$hops/perf.data" -e "${calls#,}" 2>"$hops/perf.log" &
  perf_pid=$!
  sleep 1   # perf attached
fi
submit_runs "$url" "$runs" "$interval" pickup
wait_for_runs 60
if [ -n "$hops" ]; then
  ss -tnpH >"$hops/sockets.txt"
  redis-cli -p "$redis_port" client list >"$hops/clients.txt"
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  psql -At -F , -c "SELECT extract(epoch FROM created_at) * 1000000, extract(epoch FROM started_at) * 1000000
    FROM workflow_runs WHERE session_id LIKE 'pickup-%' ORDER BY created_at" >"$hops/runs.txt"
  perf script -i "$hops/perf.data" -F comm,pid,tid,time,event,trace --ns >"$hops/perf.txt" 2>/dev/null
  python3 "$(dirname "$0")/pickup-hops.py" "$hops"
fi
report_pickup pickup
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
