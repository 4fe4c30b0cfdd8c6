#!/usr/bin/env bash
# Telemetry overhead, side by side: requests per second and server CPU per request of a trivial GET and of a small
# JSON POST (TrivialServer) with (a) telemetry off, (b) Aspire's stock ServiceDefaults template and (c) ours, every
# feature on (100% sampling, OTLP/HTTP export every second to a local sink). Over loopback with wrk; the server has
# CPU 0 to itself, wrk and the sink (which stands for a collector on another machine) share CPU 1. Rounds alternate
# off/stock/on so drift of the machine's speed hits all alike. CPU per request is user + system time from /proc,
# which other load on the machine disturbs less than requests per second.
# Usage: load.sh [rounds=3] [seconds=10] [connections=32]   (WARMUP=seconds per endpoint, default 8)
# BASELINE_DLL=<another build of Observability.ServiceDefaults.Benchmarks.dll> adds a fourth mode, "base": that
# build's "on", in the same rounds, so two versions of ours are compared under the same conditions.
# BASE_ENV="NAME=value ..." gives the "base" server extra environment, so one build can be compared with itself
# under other settings (BASELINE_DLL=<this build's dll> BASE_ENV=Metrics__Prometheus__Enabled=false: without /metrics).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; seconds=${2:-10}; connections=${3:-32}
dotnet build Benchmarks/ServiceDefaults.Benchmarks -c Release -v quiet -nologo >/dev/null
dll=artifacts/bin/ServiceDefaults.Benchmarks/release/Observability.ServiceDefaults.Benchmarks.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
pids=(); post=$(mktemp --suffix=.lua); trap 'kill "${pids[@]}" 2>/dev/null || true; rm -f "$post"' EXIT
printf '%s\n' 'wrk.method = "POST"' 'wrk.body = "{\"name\":\"bench\"}"' 'wrk.headers["Content-Type"] = "application/json"' >"$post"

sink=$(free_port)
ASPNETCORE_URLS=http://127.0.0.1:$sink taskset -c 1 dotnet "$dll" sink & pids+=($!); wait_port "$sink"
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # pid url [wrk args...] -> "req/s us-CPU/req"
  local pid=$1 url=$2; shift 2
  taskset -c 1 wrk -t1 -c"$connections" -d"${WARMUP:-8}s" "$@" "$url" >/dev/null   # tiered JIT must finish first
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" -H "X-Correlation-ID: bench-1" "$@" "$url")
  after=$(cpu_ticks "$pid")
  awk -v a="$before" -v b="$after" -v t="$ticks" '/requests in/ {n=$1} /Requests\/sec/ {rps=$2} END {printf "%s %.1f", rps, (b-a)/t*1e6/n}' <<<"$out"
}

run_round() { # mode -> "get-req/s get-cpu post-req/s post-cpu"
  local port; port=$(free_port)
  local -a otel=()
  [[ $1 == off ]] || otel=(OTEL_SERVICE_NAME=bench OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$sink
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_TRACES_SAMPLER=always_on
    OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_BLRP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=1000)
  local server=$dll mode=$1
  local -a extra=()
  if [[ $mode == base ]]; then server=$BASELINE_DLL mode=on; read -r -a extra <<<"${BASE_ENV:-}"; fi
  env ASPNETCORE_URLS=http://127.0.0.1:$port ASPNETCORE_ENVIRONMENT=Production "${otel[@]}" "${extra[@]}" \
    taskset -c 0 dotnet "$server" serve "$mode" >/dev/null &
  local pid=$!; wait_port "$port"
  local get post_result
  get=$(measure "$pid" "http://127.0.0.1:$port/api/hello/world")
  post_result=$(measure "$pid" "http://127.0.0.1:$port/api/echo" -s "$post")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$get $post_result"
}

modes=(off stock on)
[[ -n ${BASELINE_DLL:-} ]] && modes=(off stock base on)
declare -A results
for ((r=1; r<=rounds; r++)); do
  for mode in "${modes[@]}"; do
    read -r grps gcpu prps pcpu < <(run_round "$mode")
    results[$mode.grps]+="$grps "; results[$mode.gcpu]+="$gcpu "; results[$mode.prps]+="$prps "; results[$mode.pcpu]+="$pcpu "
    echo "round $r $mode: GET $grps req/s ($gcpu us CPU/req), POST $prps req/s ($pcpu us CPU/req)"
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for endpoint in g p; do
  name=$([[ $endpoint == g ]] && echo "GET /api/hello/{name}" || echo "POST /api/echo")
  # shellcheck disable=SC2086
  for mode in "${modes[@]}"; do
    declare "${mode}_rps=$(median ${results[$mode.${endpoint}rps]})" "${mode}_cpu=$(median ${results[$mode.${endpoint}cpu]})"
  done
  echo "median $name: off $off_rps req/s $off_cpu us, stock $stock_rps req/s $stock_cpu us, on $on_rps req/s $on_cpu us;" \
    "on/off $(awk -v a="$on_rps" -v b="$off_rps" 'BEGIN {printf "%.3f", a/b}')," \
    "on-stock $(awk -v a="$on_cpu" -v b="$stock_cpu" 'BEGIN {printf "%+.1f", a-b}') us CPU/req," \
    "stock-off $(awk -v a="$stock_cpu" -v b="$off_cpu" 'BEGIN {printf "%+.1f", a-b}') us CPU/req"
  [[ -z ${BASELINE_DLL:-} ]] || echo "  base $base_rps req/s $base_cpu us; base-stock" \
    "$(awk -v a="$base_cpu" -v b="$stock_cpu" 'BEGIN {printf "%+.1f", a-b}') us, on-base" \
    "$(awk -v a="$on_cpu" -v b="$base_cpu" 'BEGIN {printf "%+.1f", a-b}') us CPU/req"
done
echo "sink received: $(curl -s "http://127.0.0.1:$sink/stats")"
