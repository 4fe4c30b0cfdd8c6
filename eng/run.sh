#!/usr/bin/env bash
# Runs the whole application locally on real servers: Redis, PostgreSQL, then Gateway, Worker and WebSocketHub,
# wired with the environment variables Aspire would inject. Ctrl+C stops everything.
# (When the AppHost lands, this script starts the AppHost instead.)
#
# Ports (override with environment variables): REDIS_PORT=6380 POSTGRES_PORT=5433
#   GATEWAY_PORT=5080 WORKER_PORT=5081 WEBSOCKETHUB_PORT=5082
# State (database files, the generated database password) lives outside the repository in
#   ${XDG_STATE_HOME:-~/.local/state}/observability (as root: /var/lib/observability)
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh

REDIS_PORT=${REDIS_PORT:-6380}
POSTGRES_PORT=${POSTGRES_PORT:-5433}
GATEWAY_PORT=${GATEWAY_PORT:-5080}
WORKER_PORT=${WORKER_PORT:-5081}
WEBSOCKETHUB_PORT=${WEBSOCKETHUB_PORT:-5082}
ENVIRONMENT=${DOTNET_ENVIRONMENT:-Development}
state=${XDG_STATE_HOME:-$HOME/.local/state}/observability
# As root, PostgreSQL runs as the 'postgres' user, which cannot enter /root: keep the state in /var/lib instead.
if [[ $(id -u) -eq 0 && -z ${XDG_STATE_HOME:-} ]]; then state=/var/lib/observability; fi
mkdir -p "$state"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Observability.sln -c Release -warnaserror -v quiet -nologo

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "Stopping..."
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 0' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # name port pid
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "$1 exited before it listened on port $2" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not listen on port $2 within 30 s" >&2; exit 1
}
for port in "$REDIS_PORT" "$POSTGRES_PORT" "$GATEWAY_PORT" "$WORKER_PORT" "$WEBSOCKETHUB_PORT"; do
  port_free "$port" || { echo "Port $port is in use: set the matching *_PORT variable (see the top of $0)." >&2; exit 1; }
done

# --- Redis (no persistence: a cache and a queue whose source of truth is PostgreSQL) ---
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning &
pids+=($!); wait_port redis "$REDIS_PORT" "${pids[-1]}"

# --- PostgreSQL (data kept between runs; the password is generated once per user) ---
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pgdata=$state/postgres
[[ -f $state/postgres.password ]] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$state/postgres.password")
pgpass=$(cat "$state/postgres.password")
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then as_postgres=(setpriv --reuid postgres --regid postgres --init-groups --); fi
if [[ ! -f $pgdata/PG_VERSION ]]; then
  mkdir -p "$pgdata"; install -m 600 "$state/postgres.password" "$state/pwfile"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$pgdata" "$state/pwfile"; chmod 755 "$state"; fi
  "${as_postgres[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres --pwfile "$state/pwfile" --auth scram-sha-256 -E UTF8 --locale C >/dev/null
  rm -f "$state/pwfile"
fi
"${as_postgres[@]}" "$pgbin/postgres" -D "$pgdata" -p "$POSTGRES_PORT" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$pgdata" &
pids+=($!); wait_port postgres "$POSTGRES_PORT" "${pids[-1]}"
for _ in $(seq 1 100); do PGPASSWORD=$pgpass psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -qtAc "select 1" >/dev/null 2>&1 && break; sleep 0.1; done
PGPASSWORD=$pgpass psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -qtAc "select 1 from pg_database where datname='workflows'" | grep -q 1 \
  || PGPASSWORD=$pgpass psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -qc "create database workflows"

# --- Services, configured as Aspire would configure them ---
export ASPNETCORE_ENVIRONMENT=$ENVIRONMENT DOTNET_ENVIRONMENT=$ENVIRONMENT
export ConnectionStrings__cache="127.0.0.1:$REDIS_PORT"
export ConnectionStrings__workflows="Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Password=$pgpass;Database=workflows"
export services__gateway__http__0="http://127.0.0.1:$GATEWAY_PORT"
export services__worker__http__0="http://127.0.0.1:$WORKER_PORT"
export services__websockethub__http__0="http://127.0.0.1:$WEBSOCKETHUB_PORT"
start_service() { # name project port
  ( export OTEL_SERVICE_NAME=$1 ASPNETCORE_URLS="http://127.0.0.1:$3" OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$1-$$"
    exec dotnet "artifacts/bin/$2/release/Observability.$2.dll" ) &
  pids+=($!); wait_port "$1" "$3" "${pids[-1]}"
}
start_service gateway Gateway "$GATEWAY_PORT"
start_service worker Worker "$WORKER_PORT"
start_service websockethub WebSocketHub "$WEBSOCKETHUB_PORT"

cat <<MSG

Observability is running ($ENVIRONMENT):
  gateway       http://127.0.0.1:$GATEWAY_PORT   (health: /health /alive /ready /status, metrics: /metrics)
  worker        http://127.0.0.1:$WORKER_PORT
  websockethub  http://127.0.0.1:$WEBSOCKETHUB_PORT
  redis         127.0.0.1:$REDIS_PORT
  postgres      127.0.0.1:$POSTGRES_PORT (database 'workflows', password in $state/postgres.password)
Set OTEL_EXPORTER_OTLP_ENDPOINT before starting to export traces, metrics and logs over OTLP.
Press Ctrl+C to stop.
MSG
wait -n "${pids[@]}" || true
echo "A process exited; stopping the rest." >&2
