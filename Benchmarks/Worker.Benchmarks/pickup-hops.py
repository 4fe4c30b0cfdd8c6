#!/usr/bin/env python3
"""Where one pickup's time goes, hop by hop, from the socket system calls of the Gateway, the Worker, redis-server and
PostgreSQL's backends (recorded by pickup-processes.sh with PICKUP_HOPS=1) and the runs' timestamps in PostgreSQL.

  pickup-hops.py DIR

DIR holds what pickup-processes.sh left there:
  perf.txt    `perf script -F comm,pid,tid,time,event,trace --ns` of `perf record -k CLOCK_MONOTONIC` with the enter
              and exit tracepoints of the socket reads and writes and of epoll_wait
  sockets.txt `ss -tnpH` at the end (which process holds which connection on which descriptor)
  clients.txt redis-server's `CLIENT LIST` at the end (the worker's blocked XREADGROUP names its job-read connection)
  runs.txt    one line per measured run: created_at, started_at (µs since the epoch, as the services wrote them)
  pids.txt    gateway=PID worker=PID redis=PID redis_port=PORT pg_port=PORT offset_us=REALTIME-MONOTONIC

For each run, the moments on the critical path (monotonic µs; the runs' own timestamps moved onto that clock):
  created    the Gateway's created_at (the submit, before its INSERT)
  g_pg       the Gateway's first statement to PostgreSQL after it (the INSERT and outbox row)
  g_sel      the relay's claim (SELECT … FOR UPDATE SKIP LOCKED) written to PostgreSQL
  g_rows     its rows read back by the Gateway
  g_xadd     the XADD written to redis-server (by which thread: a hop from g_rows' thread or not)
  r_in       redis-server reads it
  r_out      redis-server writes the entry to the Worker's blocked XREADGROUP
  w_wake     the Worker's epoll thread wakes for it (absent when a thread sits in a blocking read)
  w_read     the Worker reads the reply from its socket
  started    the Worker's started_at (taken just before its StartSql)
  w_pg       the Worker's StartSql written to PostgreSQL
and the segments between them: median, p25, p75 over the runs, with which threads did the work.
"""
import collections
import pathlib
import re
import statistics
import sys

directory = pathlib.Path(sys.argv[1])
LINE = re.compile(r"^\s*(?P<comm>.+?)\s+(?P<pid>\d+)/(?P<tid>\d+)\s+(?P<time>\d+\.\d+):\s+syscalls:sys_(?P<dir>enter|exit)_(?P<call>\w+):\s*(?P<args>.*)$")
FD = re.compile(r"\bfd: 0x([0-9a-f]+)")
SIZE = re.compile(r"\b(?:len|count|size): 0x([0-9a-f]+)")
READS = {"read", "recvfrom", "recvmsg", "readv"}
WRITES = {"write", "sendto", "sendmsg", "writev"}
WAITS = {"epoll_wait", "epoll_pwait", "epoll_pwait2"}

conf = dict(pair.split("=", 1) for pair in (directory / "pids.txt").read_text().split())
gateway, worker, redis = int(conf["gateway"]), int(conf["worker"]), int(conf["redis"])
redis_port, pg_port, offset = int(conf["redis_port"]), int(conf["pg_port"]), int(conf["offset_us"])

# Descriptors: (pid, fd) -> (local port, peer port), from ss.
SS_USER = re.compile(r'\("(?P<comm>[^"]+)",pid=(?P<pid>\d+),fd=(?P<fd>\d+)\)')
sockets = {}
for line in (directory / "sockets.txt").read_text().splitlines():
    parts = line.split()
    if len(parts) < 6:
        continue
    local, peer = int(parts[3].rsplit(":", 1)[1]), int(parts[4].rsplit(":", 1)[1])
    for user in SS_USER.finditer(line):
        sockets[(int(user["pid"]), int(user["fd"]))] = (local, peer)

# The Worker's job-read connection: the client blocked in XREADGROUP.
read_port = None
for line in (directory / "clients.txt").read_text().splitlines():
    fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
    if fields.get("cmd") == "xreadgroup":
        read_port = int(fields["addr"].rsplit(":", 1)[1])
if read_port is None:
    sys.exit("no client blocked in XREADGROUP in clients.txt")

pg_pids = {pid for (pid, _), (local, _) in sockets.items() if local == pg_port}
gateway_redis = {fd for (pid, fd), (_, peer) in sockets.items() if pid == gateway and peer == redis_port}
gateway_pg = {fd for (pid, fd), (_, peer) in sockets.items() if pid == gateway and peer == pg_port}
worker_pg = {fd for (pid, fd), (_, peer) in sockets.items() if pid == worker and peer == pg_port}
worker_read = {fd for (pid, fd), (local, peer) in sockets.items() if pid == worker and local == read_port}
gateway_ports = {local for (pid, _), (local, peer) in sockets.items() if pid == gateway and peer == redis_port}
redis_from_gateway = {fd for (pid, fd), (_, peer) in sockets.items() if pid == redis and peer in gateway_ports}
redis_to_worker_read = {fd for (pid, fd), (_, peer) in sockets.items() if pid == redis and peer == read_port}

# Events: (time µs, pid, tid, comm, kind, call, fd, size). Reads are taken at their exit with a positive result
# (the data reached the process), writes at their entry (the process hands the bytes over), epoll at its exit.
events = []
open_calls = {}
for line in (directory / "perf.txt").read_text(errors="replace").splitlines():
    m = LINE.match(line)
    if not m:
        continue
    pid, tid, call = int(m["pid"]), int(m["tid"]), m["call"]
    if pid not in (gateway, worker, redis) and pid not in pg_pids:
        continue
    t = int(m["time"].replace(".", "")) / 1000.0  # ns -> µs
    args = m["args"]
    if m["dir"] == "enter":
        fd = FD.search(args)
        fd = int(fd.group(1), 16) if fd else -1
        size = SIZE.search(args)
        size = int(size.group(1), 16) if size else -1  # writev, sendmsg: several buffers, size not in the arguments
        if call in WRITES:
            events.append((t, pid, tid, m["comm"], "write", call, fd, size))
        elif call in READS:
            open_calls[tid] = (call, fd, t)
    else:
        result = int(args.strip(), 16) if args.strip().startswith("0x") else -1
        if result >= 2 ** 63:
            result = -1
        if call in READS and tid in open_calls:
            _, fd, entered = open_calls.pop(tid)
            if result > 0:
                events.append((t, pid, tid, m["comm"], "read", call, fd, result))
        elif call in WAITS and result > 0:
            events.append((t, pid, tid, m["comm"], "wake", call, -1, result))
events.sort()


def last(before, pred, after=float("-inf")):
    found = None
    for e in events:
        if e[0] >= before:
            break
        if e[0] > after and pred(e):
            found = e
    return found


def first(after, pred, before=float("inf")):
    for e in events:
        if e[0] > before:
            return None
        if e[0] > after and pred(e):
            return e
    return None


runs = []
for line in (directory / "runs.txt").read_text().split("\n"):
    if line.strip():
        created, started = (float(v) - offset for v in line.split(",")[:2])
        runs.append((created, started))

POINTS = ["created", "g_pg", "g_sel", "g_rows", "g_xadd", "r_in", "r_out", "w_wake", "w_read", "started", "w_pg"]
rows = []
threads = collections.Counter()
for created, started in runs:
    p = {"created": created, "started": started}
    r_out = first(created, lambda e: e[1] == redis and e[4] == "write" and e[6] in redis_to_worker_read and (e[7] > 16 or e[7] < 0), before=started + 50)
    if r_out is None:
        continue
    p["r_out"] = r_out[0]
    r_in = last(r_out[0], lambda e: e[1] == redis and e[4] == "read" and e[6] in redis_from_gateway, after=created)
    g_xadd = r_in and last(r_in[0], lambda e: e[1] == gateway and e[4] == "write" and e[6] in gateway_redis, after=created)
    g_rows = g_xadd and last(g_xadd[0], lambda e: e[1] == gateway and e[4] == "read" and e[6] in gateway_pg, after=created)
    g_sel = g_rows and last(g_rows[0], lambda e: e[1] == gateway and e[4] == "write" and e[6] == g_rows[6], after=created)
    g_pg = first(created, lambda e: e[1] == gateway and e[4] == "write" and e[6] in gateway_pg, before=r_out[0])
    w_read = first(r_out[0], lambda e: e[1] == worker and e[4] == "read" and e[6] in worker_read, before=r_out[0] + 20000)
    w_wake = w_read and last(w_read[0], lambda e: e[1] == worker and e[4] == "wake", after=r_out[0])
    w_pg = w_read and first(w_read[0], lambda e: e[1] == worker and e[4] == "write" and e[6] in worker_pg, before=w_read[0] + 20000)
    for name, e in (("r_in", r_in), ("g_xadd", g_xadd), ("g_rows", g_rows), ("g_sel", g_sel), ("g_pg", g_pg),
                    ("w_read", w_read), ("w_wake", w_wake), ("w_pg", w_pg)):
        if e:
            p[name] = e[0]
    if g_rows and g_xadd:
        threads["gateway: relay's rows and its XADD written on the same thread" if g_rows[2] == g_xadd[2] else "gateway: XADD written by another thread than the one that read the relay's rows"] += 1
        threads[f"gateway XADD written by: {g_xadd[3]}"] += 1
    if w_read and w_pg:
        threads["worker: reply read and StartSql written on the same thread" if w_read[2] == w_pg[2] else "worker: StartSql written by another thread than the one that read the reply"] += 1
        threads[f"worker reply read by: {w_read[3]}"] += 1
        threads[f"worker StartSql written by: {w_pg[3]}"] += 1
    if w_wake and w_read:
        threads[f"worker woken by: {w_wake[3]}"] += 1
    rows.append(p)


def quantiles(values):
    values = sorted(values)
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return f"{q[1] / 1000:7.3f} ms  ({q[0] / 1000:.3f}–{q[2] / 1000:.3f}, min {values[0] / 1000:.3f})"


print(f"{len(rows)} of {len(runs)} runs traced end to end (job-read connection: local port {read_port})")
print(f"{'segment':<22} {'n':>3}  median    (p25–p75, min)")
for a, b in zip(POINTS, POINTS[1:]):
    values = [p[b] - p[a] for p in rows if a in p and b in p]
    if values:
        print(f"{a + ' -> ' + b:<22} {len(values):>3} {quantiles(values)}")
for a, b in (("created", "g_xadd"), ("g_xadd", "r_out"), ("r_out", "started"), ("w_read", "started"), ("created", "started")):
    values = [p[b] - p[a] for p in rows if a in p and b in p]
    if values:
        print(f"{'= ' + a + ' -> ' + b:<22} {len(values):>3} {quantiles(values)}")
for name, count in sorted(threads.items()):
    print(f"  {count:>3} x {name}")
