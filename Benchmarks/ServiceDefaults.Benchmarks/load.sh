#!/usr/bin/env bash
# Requests per second of a trivial endpoint with ServiceDefaults on (exporting over OTLP/HTTP to a local sink
# every second) versus off, over loopback with wrk. Server pinned to CPU 0, wrk to CPU 1; rounds alternate
# off/on so drift of the machine's speed hits both alike. Usage: load.sh [rounds=3] [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; seconds=${2:-10}; connections=${3:-32}
dotnet build Benchmarks/ServiceDefaults.Benchmarks -c Release -v quiet -nologo >/dev/null
dll=artifacts/bin/ServiceDefaults.Benchmarks/release/Observability.ServiceDefaults.Benchmarks.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
pids=(); trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

sink=$(free_port)
ASPNETCORE_URLS=http://127.0.0.1:$sink dotnet "$dll" sink & pids+=($!); wait_port "$sink"

run_round() { # mode
  local port; port=$(free_port)
  if [[ $1 == on ]]; then
    env ASPNETCORE_URLS=http://127.0.0.1:$port ASPNETCORE_ENVIRONMENT=Production OTEL_SERVICE_NAME=bench \
      OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$sink OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_BLRP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=1000 \
      taskset -c 0 dotnet "$dll" serve on >/dev/null &
  else
    env ASPNETCORE_URLS=http://127.0.0.1:$port ASPNETCORE_ENVIRONMENT=Production taskset -c 0 dotnet "$dll" serve off >/dev/null &
  fi
  local pid=$!; wait_port "$port"
  taskset -c 1 wrk -t1 -c"$connections" -d2s "http://127.0.0.1:$port/api/hello/world" >/dev/null   # warm-up (JIT, tiering)
  taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" -H "X-Correlation-ID: bench-1" "http://127.0.0.1:$port/api/hello/world" \
    | awk '/Requests\/sec/ {print $2}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

declare -a off on
for ((r=1; r<=rounds; r++)); do
  off+=("$(run_round off)"); on+=("$(run_round on)")
  echo "round $r: off ${off[-1]} req/s, on ${on[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
moff=$(median "${off[@]}"); mon=$(median "${on[@]}")
echo "median: off $moff req/s, on $mon req/s, on/off = $(awk -v a="$mon" -v b="$moff" 'BEGIN {printf "%.3f", a/b}')"
echo "sink received: $(curl -s "http://127.0.0.1:$sink/stats")"
