#!/usr/bin/env python3
"""Aggregates `perf script` output (perf record -g of a .NET process started with DOTNET_PerfMapEnabled=1) by method
and by component: inclusive % (samples with the method/component anywhere on the stack), self % (the leaf frame), and
by cause (what the CPU was spent on: the JIT, the GC, the thread pool's idle spinning, each part of the telemetry).

  perf record -F 499 -g -p <pid> -o worker.perf.data -- sleep 20
  perf script -i worker.perf.data | Benchmarks/Worker.Benchmarks/perf-inclusive.py [top]
"""
import collections
import re
import sys

TOP = int(sys.argv[1]) if len(sys.argv) > 1 else 30
FRAME = re.compile(r"^\s+[0-9a-f]+\s+(?P<sym>.*?)\s+\((?P<dso>[^()]*)\)$")
OFFSET = re.compile(r"\+0x[0-9a-f]+$")
TIER = re.compile(r"\[(OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|PreJIT|Instrumented|OptimizedTier1OSR|TierInstrumented)[^\]]*\]")

# First matching rule names a frame's component (order matters: the more specific first). Code precompiled
# (ReadyToRun) in the shared framework is not in the perf map: its frames are "[unknown]" in the .dll, named by it.
def lib(d, *names):
    base = d.rsplit("/", 1)[-1]
    return any(base.startswith(n) for n in names)


COMPONENTS = [
    ("our code (Observability.*)", lambda s, d: "Observability." in s),
    ("Npgsql", lambda s, d: "Npgsql" in s or lib(d, "Npgsql")),
    ("StackExchange.Redis", lambda s, d: "StackExchange.Redis" in s or lib(d, "StackExchange.Redis")),
    ("OpenTelemetry SDK/instrumentation", lambda s, d: "OpenTelemetry" in s or lib(d, "OpenTelemetry")),
    ("Entity Framework Core", lambda s, d: "Microsoft.EntityFrameworkCore" in s),
    ("Microsoft.Extensions.AI", lambda s, d: "Microsoft.Extensions.AI" in s),
    ("Microsoft.Extensions.Logging", lambda s, d: "Microsoft.Extensions.Logging" in s or lib(d, "Microsoft.Extensions.Logging")),
    ("Polly / resilience", lambda s, d: "Polly" in s or "Microsoft.Extensions.Resilience" in s),
    ("System.Diagnostics (Activity, Metrics)", lambda s, d: "System.Diagnostics.Activity" in s or "System.Diagnostics.Metrics" in s or "DiagnosticSource" in s or "DiagnosticListener" in s or lib(d, "System.Diagnostics.DiagnosticSource")),
    ("System.Text.Json", lambda s, d: "System.Text.Json" in s or lib(d, "System.Text.Json")),
    ("System.Net.Sockets", lambda s, d: "System.Net.Sockets" in s or lib(d, "System.Net.Sockets")),
    ("JIT (libclrjit)", lambda s, d: d.endswith("libclrjit.so")),
    ("runtime (libcoreclr: GC, type system, stubs; no symbols)", lambda s, d: d.endswith("libcoreclr.so")),
    ("kernel", lambda s, d: "kernel.kallsyms" in d),
    ("System.Private.CoreLib (async machinery, collections, threading)", lambda s, d: "System.Private.CoreLib" in s or lib(d, "System.Private.CoreLib")),
]


# Not "whose code asked for it": the runtime, the base library and the kernel serve everyone.
SHARED = {"runtime (libcoreclr: GC, type system, stubs; no symbols)", "kernel", "System.Private.CoreLib (async machinery, collections, threading)"}


def attribute(thread, frames):
    """One owner per sample (sums to 100 %): JIT anywhere on the stack, a GC thread, else the innermost frame of a
    library or of our code (async continuations run inside the awaited library's frames, so inclusive % overlaps)."""
    comps = [component(s, d) for s, d in frames]
    if "JIT (libclrjit)" in comps:
        return "JIT (libclrjit)"
    if "GC" in thread:
        return "GC threads"
    for c in comps:
        if c and c not in SHARED:
            return c
    return next((c for c in comps if c), "other") + " (nothing else on the stack)"


# A jitted frame reads "<return type> [DeclaringAssembly] Namespace.Type::Method(...)": judge it by the declaring
# assembly, not by generic arguments (an async box of CoreLib over an Npgsql state machine is CoreLib's code).
DECLARING = re.compile(r"\[([\w.]+)\] ")


def component(sym, dso):
    declaring = DECLARING.search(sym)
    sym = declaring[1] + "." if declaring else sym
    for name, rule in COMPONENTS:
        if rule(sym, dso):
            return name
    return None


def method(sym, dso):
    if sym == "[unknown]":
        return f"[unknown] ({dso.rsplit('/', 1)[-1]})"
    return TIER.sub("", OFFSET.sub("", sym)).strip()


# What a sample's CPU was spent on, one cause per sample (sums to 100 %): the JIT anywhere on the stack, a GC thread,
# then the innermost telemetry frame anywhere on the stack (its callees in CoreLib, sockets or HTTP/2 are its cost), then
# a thread-pool thread whose innermost managed frame waits or spins for work, else the sample's owner (attribute()).
TELEMETRY = [
    ("OTLP exporter: protobuf serialization", lambda a, m: a.startswith("OpenTelemetry.Exporter.OpenTelemetryProtocol") and ("Serializer" in m or "Write" in m)),
    ("OTLP exporter: batching, gRPC over HTTP/2", lambda a, m: a.startswith(("OpenTelemetry.Exporter.OpenTelemetryProtocol", "System.Net.Http", "Grpc", "System.Net.Security"))),
    ("Redis instrumentation (profiling sessions, their drain into spans)", lambda a, m: "StackExchangeRedis" in m or a.startswith("Aspire.StackExchange.Redis") or ("StackExchange.Redis" in a and "Profil" in m)),
    ("masking and correlation span/log processors (ServiceDefaults)", lambda a, m: any(k in m for k in ("Masking", "Masker", "Luhn", "Correlation", "ParentlessRedisSpanFilter"))),
    ("OpenTelemetry SDK (metric aggregation, batch processors, propagators, self-diagnostics)", lambda a, m: a.startswith("OpenTelemetry")),
    ("Activity, ActivitySource, Meter (System.Diagnostics)", lambda a, m: a.startswith("System.Diagnostics.DiagnosticSource")),
    ("logging (Microsoft.Extensions.Logging, console, OTLP log records)", lambda a, m: a.startswith("Microsoft.Extensions.Logging") or "OpenTelemetryLogger" in m or "LogRecord" in m),
]
IDLE = re.compile(r"LowLevelLifoSemaphore|LowLevelSpinWaiter|SpinWait")
METHOD = re.compile(r"\[([\w.]+)\] (\S*?)::([^(\[]+)")


def cause(thread, frames):
    parsed = [(m[1], f"{m[2]}::{m[3]}") if (m := METHOD.search(s)) else (d.rsplit("/", 1)[-1], s) for s, d in frames]
    if any(d.endswith("libclrjit.so") for _, d in frames):
        return "JIT (libclrjit on the stack)"
    if "GC" in thread:
        return "GC threads (Server GC, background GC)"
    for a, m in parsed:
        for name, rule in TELEMETRY:
            if rule(a, m):
                return "telemetry: " + name
    for a, m in parsed:  # innermost first, up to the first frame of a library or of our code
        if a == "System.Private.CoreLib" and IDLE.search(m):
            return "thread pool: waiting or spinning for work (LowLevelLifoSemaphore, SpinWait)"
        if a.startswith("Observability.") or "." in a and not a.startswith(("System.Private.CoreLib", "lib", "[", "ld-")):
            break
    return attribute(thread, frames)


def samples(lines):
    header, frames = None, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if header is not None:
                yield header, frames
            header, frames = None, []
        elif header is None:
            header = line
        else:
            m = FRAME.match(line)
            if m:
                frames.append((m["sym"], m["dso"]))
    if header is not None:
        yield header, frames


def main():
    total = 0
    inclusive, self_, comp_incl, comp_self, threads, tiers, owners, named, owner_methods, causes = (collections.Counter() for _ in range(10))
    for header, frames in samples(sys.stdin):
        if not frames:
            continue
        total += 1
        thread = re.sub(r"\s+\d+\s+.*$", "", header.strip()) or "?"
        threads[thread] += 1
        owners[attribute(thread, frames)] += 1
        causes[cause(thread, frames)] += 1
        methods = {method(s, d) for s, d in frames}
        inclusive.update(methods)
        named.update({method(s, d) for s, d in frames if component(s, d) not in SHARED | {None, "JIT (libclrjit)"} and s != "[unknown]"})
        innermost = next(((s, d) for s, d in frames if component(s, d) not in SHARED | {None, "JIT (libclrjit)"} and s != "[unknown]"), None)
        if innermost and "JIT (libclrjit)" not in {component(s, d) for s, d in frames}:
            owner_methods[method(*innermost)] += 1
        comps = {c for c in (component(s, d) for s, d in frames) if c}
        comp_incl.update(comps)
        leaf = frames[0]
        tier = TIER.search(next((s for s, d in frames if d.endswith(".map")), ""))
        tiers[tier[1] if tier else "(no jitted frame)"] += 1
        self_[method(*leaf)] += 1
        comp_self[component(*leaf) or "other (BCL managed, native libraries)"] += 1
    if total == 0:
        sys.exit("no samples")

    def table(title, counter, top):
        print(f"\n{title}")
        for name, count in counter.most_common(top):
            print(f"  {count * 100.0 / total:5.1f}%  {name}")

    print(f"{total} samples")
    table("Components, inclusive (a sample counts once per component on its stack):", comp_incl, 40)
    table("Components, self (leaf frame):", comp_self, 40)
    table("Owner (JIT on the stack, GC thread, else the innermost library or our code; sums to 100 %):", owners, 40)
    table("Cause (JIT on the stack, GC thread, telemetry anywhere on the stack, idle thread-pool thread, else the owner; sums to 100 %):", causes, 40)
    table(f"Methods, inclusive, top {TOP}:", inclusive, TOP)
    table(f"Methods of libraries and our code (not the base library's async plumbing), inclusive, top {TOP}:", named, TOP)
    table(f"Innermost method of a library or our code (JIT samples left out), top {TOP}:", owner_methods, TOP)
    table("Methods, self, top 20:", self_, 20)
    table("Threads (perf's comm field):", threads, 15)
    table("Tier of the innermost jitted frame:", tiers, 10)


main()
