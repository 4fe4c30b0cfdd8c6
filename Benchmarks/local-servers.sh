# Sourced by the benchmark scripts: a throwaway PostgreSQL 15 (fsync off, so commits do not wait for the disk) and
# redis-server (no persistence) on free loopback ports, with an empty database "workflows".

# free_port: a loopback port nobody listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_local_servers: sets work (a temporary folder, removed by stop_local_servers), pg_port and redis_port.
start_local_servers() {
  local pgbin=/usr/lib/postgresql/15/bin
  work="$(mktemp -d)"
  chmod 755 "$work"
  chown postgres "$work"
  pg_port=$(free_port); redis_port=$(free_port)
  runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
  runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres workflows
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$work/redis.log"
}

# stop_local_servers: stops what start_local_servers started (as far as it got) and removes its folder.
stop_local_servers() {
  [ -n "${redis_port:-}" ] && { redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; }
  [ -n "${work:-}" ] || return 0
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
