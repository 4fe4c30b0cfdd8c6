#!/usr/bin/env bash
# Requests per second of a trivial endpoint with ServiceDefaults on (exporting over OTLP/HTTP to a local sink
# every second) versus off, over loopback with wrk. The server has CPU 0 to itself; wrk and the OTLP sink (which
# stands for a collector on another machine) share CPU 1. Rounds alternate off/on so drift of the machine's speed
# hits both alike. Besides requests per second it reports the server's CPU time per request (user + system, from
# /proc), which other load on the machine disturbs less. Usage: load.sh [rounds=3] [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; seconds=${2:-10}; connections=${3:-32}
dotnet build Benchmarks/ServiceDefaults.Benchmarks -c Release -v quiet -nologo >/dev/null
dll=artifacts/bin/ServiceDefaults.Benchmarks/release/Observability.ServiceDefaults.Benchmarks.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
pids=(); trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

sink=$(free_port)
ASPNETCORE_URLS=http://127.0.0.1:$sink taskset -c 1 dotnet "$dll" sink & pids+=($!); wait_port "$sink"
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

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
  taskset -c 1 wrk -t1 -c"$connections" -d"${WARMUP:-10}s" "http://127.0.0.1:$port/api/hello/world" >/dev/null   # warm-up: tiered JIT must finish (the server has one core)
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" -H "X-Correlation-ID: bench-1" "http://127.0.0.1:$port/api/hello/world")
  after=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v a="$before" -v b="$after" -v t="$ticks" '/requests in/ {n=$1} /Requests\/sec/ {rps=$2} END {printf "%s %.1f\n", rps, (b-a)/t*1e6/n}' <<<"$out"
}

declare -a off on offcpu oncpu
for ((r=1; r<=rounds; r++)); do
  read -r rps cpu < <(run_round off); off+=("$rps"); offcpu+=("$cpu")
  read -r rps cpu < <(run_round on); on+=("$rps"); oncpu+=("$cpu")
  echo "round $r: off ${off[-1]} req/s (${offcpu[-1]} us CPU/req), on ${on[-1]} req/s (${oncpu[-1]} us CPU/req)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
moff=$(median "${off[@]}"); mon=$(median "${on[@]}"); coff=$(median "${offcpu[@]}"); con=$(median "${oncpu[@]}")
echo "median: off $moff req/s, on $mon req/s, on/off = $(awk -v a="$mon" -v b="$moff" 'BEGIN {printf "%.3f", a/b}')"
echo "median server CPU per request: off $coff us, on $con us, added $(awk -v a="$con" -v b="$coff" 'BEGIN {printf "%.1f", a-b}') us"
echo "sink received: $(curl -s "http://127.0.0.1:$sink/stats")"
