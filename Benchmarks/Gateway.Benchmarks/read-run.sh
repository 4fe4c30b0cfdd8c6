#!/usr/bin/env bash
# GET /api/workflows/{id} under wrk: a Completed run (served by the run cache once it is warm) and a Running run (never
# cached: always PostgreSQL, after a lookup in memory and Redis). Starts its own PostgreSQL 15 (fsync off) and
# redis-server on free loopback ports and the Gateway from a Release build (ASPNETCORE_ENVIRONMENT=Production, spans
# created, not exported), then prints requests/s, latency and the Gateway's CPU per request for each run.
# Usage: Benchmarks/Gateway.Benchmarks/read-run.sh [GATEWAY_DLL=artifacts/bin/Gateway/release/Observability.Gateway.dll]
#        [SECONDS=15] [CONNECTIONS=16] [WARMUP_SECONDS=10]
# Compare two builds by alternating them (build each tree in Release first): A B B A.
set -euo pipefail
gateway_dll="$(realpath "${1:-artifacts/bin/Gateway/release/Observability.Gateway.dll}")"
seconds="${2:-15}"
connections="${3:-16}"
warmup="${4:-10}"
source "$(dirname "$0")/../local-servers.sh"
gateway_port=$(free_port)
gateway=""
cleanup() {
  [ -n "$gateway" ] && kill -TERM "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null
  stop_local_servers
}
trap cleanup EXIT
start_local_servers
psql() { runuser -u postgres -- /usr/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -d workflows -qAt -c "$1"; }

ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__workflows="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=workflows" \
ConnectionStrings__cache="127.0.0.1:$redis_port" \
EventTickets__SigningKey="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
Gateway__EventsBaseUrl=http://127.0.0.1:1 Gateway__RateLimit__TokenLimit=1000000 Gateway__RateLimit__TokensPerPeriod=1000000 \
Logging__LogLevel__Default=Warning \
  dotnet "$gateway_dll" >"$work/gateway.log" 2>&1 </dev/null &
gateway=$!
url="http://127.0.0.1:$gateway_port"
until curl -fs "$url/ready" >/dev/null; do
  kill -0 "$gateway" 2>/dev/null || { echo "the Gateway stopped:" >&2; cat "$work/gateway.log" >&2; exit 1; }
  sleep 0.2
done

submit() { curl -fs -H 'Content-Type: application/json' -d '{"task":"Summarise the quarterly report","sessionId":"bench"}' "$url/api/workflows" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["runId"])'; }
completed=$(submit); running=$(submit)
# Shape the two runs as the Worker leaves them: five completed steps for the finished one.
psql "UPDATE workflow_runs SET status = 'Running', started_at = now(), attempt_count = 1 WHERE id IN ('$completed', '$running')"
for i in 1 2 3 4 5; do
  psql "INSERT INTO workflow_steps (run_id, step_key, agent, explanation, status, started_at, completed_at, input_tokens, output_tokens, cost)
        VALUES ('$completed', 'step-$i', 'researcher', 'Needs sources for part $i', 'Completed', now(), now(), 400, 120, 0.0021)"
done
psql "UPDATE workflow_runs SET status = 'Completed', completed_at = now(), input_tokens = 2000, output_tokens = 600, cost = 0.0105 WHERE id = '$completed'"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$gateway/stat"; }
hz=$(getconf CLK_TCK)
measure() {
  local name=$1 id=$2
  wrk -t 2 -c "$connections" -d "${warmup}s" "$url/api/workflows/$id" >/dev/null
  local before; before=$(cpu_ticks)
  local out; out=$(wrk -t 2 -c "$connections" -d "${seconds}s" --latency "$url/api/workflows/$id")
  local after; after=$(cpu_ticks)
  local requests; requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local p50; p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  local p99; p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  python3 -c "print(f'$name: {float(\"$rps\"):,.0f} req/s, p50 $p50, p99 $p99, Gateway CPU {($after - $before) / $hz / $requests * 1e6:,.0f} µs per request, non-2xx ${non2xx:-0}')"
}
echo "gateway: $gateway_dll"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "GET completed run" "$completed"
measure "GET running run  " "$running"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "redis keys: $(redis-cli -p "$redis_port" --scan --pattern 'gateway:*' | tr '\n' ' ')"
