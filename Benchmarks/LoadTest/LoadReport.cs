using System.Diagnostics;
using System.Globalization;
using System.Text;
using Observability.Workflows.Messaging;

namespace Observability.LoadTest;

/// <summary>Everything one load test observed, for <see cref="LoadReport"/> (<c>RunStatuses</c>: each run's status in PostgreSQL when the drain ended, read while the clients still listened).</summary>
internal sealed record LoadResults(
    LoadTestOptions Options,
    ArrivalSchedule Schedule,
    LoadCounters Counters,
    IReadOnlyList<RunRecord> Runs,
    IReadOnlyDictionary<Guid, long> StreamLengths,
    IReadOnlyDictionary<string, long> RunsByStatus,
    IReadOnlyDictionary<Guid, string> RunStatuses,
    IReadOnlyList<WatchedProcess> Processes,
    IReadOnlyList<ResourceSample> Samples,
    ResourceSample WindowStart,
    ResourceSample WindowEnd,
    string LoadBefore,
    string LoadAfter,
    PgStatementsWindow? Statements = null,
    IReadOnlyList<HeapSample>? Heaps = null);

/// <summary>
/// The load test's verdicts: whether any run or event was lost, whether the platform kept up (every accepted run
/// finished before the drain ended), and whether memory stayed flat.
/// </summary>
internal sealed record LoadVerdict(long LostRuns, long Unfinished, long LostEvents, long DuplicatedEvents, long OutOfOrderEvents, long Errors, IReadOnlyList<string> GrowingMemory)
{
    public bool Clean => LostRuns == 0 && Unfinished == 0 && LostEvents == 0 && DuplicatedEvents == 0 && OutOfOrderEvents == 0 && Errors == 0;
}

/// <summary>Writes the load test's figures as Markdown tables (ready for docs/benchmarks.md).</summary>
internal static class LoadReport
{
    /// <summary>Memory may grow this much from the first to the last third of the measured window and still be called flat.</summary>
    private const double FlatTolerance = 0.10;

    public static LoadVerdict Write(LoadResults results, TextWriter output)
    {
        var options = results.Options;
        var schedule = results.Schedule;
        var window = Seconds(results.WindowEnd.Timestamp - results.WindowStart.Timestamp);
        var measured = results.Runs.Where(r => !r.InWarmup).ToList();
        var completedInWindow = results.Runs.Count(r => r.Outcome == WorkflowEventType.Completed
            && r.FinishedTimestamp >= results.WindowStart.Timestamp && r.FinishedTimestamp <= results.WindowEnd.Timestamp);
        var latencies = measured.Where(r => r.Outcome == WorkflowEventType.Completed).Select(r => Seconds(r.FinishedTimestamp - r.DueTimestamp) * 1000).Order().ToArray();
        var acceptLatencies = measured.Select(r => Seconds(r.AcceptedTimestamp - r.DueTimestamp) * 1000).Order().ToArray();

        // A run whose terminal event arrived has all its events in its stream (the terminal one is the last), so the
        // stream's length is what the client was owed. A run still Queued or Running in PostgreSQL when the drain ended
        // is behind, not lost: its events are left out of the count, and it is reported apart.
        long expectedEvents = 0, deliveredEvents = 0, lostEvents = 0, runsWithGap = 0;
        foreach (var run in results.Runs.Where(r => r.Outcome is not null))
        {
            var expected = results.StreamLengths.GetValueOrDefault(run.RunId);
            expectedEvents += expected;
            deliveredEvents += run.Distinct;
            var missing = Math.Max(0, expected - run.Distinct);
            lostEvents += missing;
            runsWithGap += missing > 0 ? 1 : 0;
        }

        var finished = results.Runs.Count(r => r.Outcome is not null);
        var unfinished = results.Runs.Count(r => r.Outcome is null && results.RunStatuses.GetValueOrDefault(r.RunId) is "Queued" or "Running");
        var lostRuns = results.Runs.Count(r => r.Outcome != WorkflowEventType.Completed) - unfinished;
        var duplicates = results.Runs.Sum(r => (long)r.Duplicates);
        var outOfOrder = results.Runs.Sum(r => (long)r.OutOfOrder);

        output.WriteLine();
        output.WriteLine(Invariant($"### {options.Rate:0.#} runs/s for {options.Duration.TotalSeconds:0} s (warm-up {options.Warmup.TotalSeconds:0} s{(options.Ramp > TimeSpan.Zero ? $", the rate rising from 0 over its first {options.Ramp.TotalSeconds:0} s" : "")}), {options.Clients} clients, {options.Workers} workers × concurrency {options.WorkerConcurrency}"));
        output.WriteLine();
        output.WriteLine("| measure | value |");
        output.WriteLine("| --- | ---: |");
        Row(output, "arrivals due / submits started / accepted (2xx)", Invariant($"{schedule.Arrivals:N0} / {results.Counters.Submitted:N0} / {results.Counters.Accepted:N0}"));
        Row(output, "arrival rate achieved (accepted ÷ schedule length, a ramp counting half its length)", Invariant($"{results.Counters.Accepted / (Seconds(schedule.EndTimestamp - schedule.StartTimestamp) - (options.Ramp.TotalSeconds / 2)):N1} runs/s (scheduler's largest lag {schedule.MaxLag.TotalMilliseconds:N1} ms)"));
        Row(output, "completed runs/s in the measured window (Completed events received)", Invariant($"{completedInWindow / window:N1} ({completedInWindow:N0} in {window:N0} s)"));
        Row(output, "submit → Completed on the WebSocket, p50 / p95 / p99 / max", Invariant($"{Percentile(latencies, 0.50):N1} / {Percentile(latencies, 0.95):N1} / {Percentile(latencies, 0.99):N1} / {latencies.LastOrDefault():N1} ms ({latencies.Length:N0} runs due after warm-up)"));
        Row(output, "submit → 202, p50 / p99", Invariant($"{Percentile(acceptLatencies, 0.50):N1} / {Percentile(acceptLatencies, 0.99):N1} ms"));
        Row(output, "runs: Completed / Failed / Cancelled / no terminal event (client's view)", Invariant(
            $"{results.Runs.Count(r => r.Outcome == WorkflowEventType.Completed):N0} / {results.Runs.Count(r => r.Outcome == WorkflowEventType.Failed):N0} / {results.Runs.Count(r => r.Outcome == WorkflowEventType.Cancelled):N0} / {results.Runs.Count - finished:N0}"));
        Row(output, "runs in PostgreSQL by status", results.RunsByStatus.Count == 0 ? "none" : string.Join(", ", results.RunsByStatus.Select(s => Invariant($"{s.Key} {s.Value:N0}"))));
        Row(output, "runs still Queued or Running in PostgreSQL when the drain ended (the platform fell behind; not counted as lost)", Invariant($"{unfinished:N0}"));
        Row(output, "**lost runs** (accepted, and then missing, failed, or finished without its Completed event arriving)", Invariant($"**{lostRuns:N0}**"));
        Row(output, "events of the finished runs: expected (entries in their streams) / delivered (distinct)", Invariant($"{expectedEvents:N0} / {deliveredEvents:N0} ({expectedEvents / (double)Math.Max(1, finished):N1} per run)"));
        Row(output, "**events lost / duplicated / out of order**", Invariant($"**{lostEvents:N0} / {duplicates:N0} / {outOfOrder:N0}** ({runsWithGap:N0} runs with a gap)"));
        Row(output, "`truncated` frames (the hub said a run's events may be gone) / subscribes answered `unavailable` and sent again", Invariant($"{results.Counters.Truncated:N0} / {results.Counters.Resubscribed:N0}"));
        Row(output, "errors (non-2xx, transport, hub error frames)", results.Counters.ErrorCount == 0
            ? "0"
            : string.Join("; ", results.Counters.Errors.OrderByDescending(e => e.Value).Select(e => Invariant($"{e.Key}: {e.Value:N0}"))));
        Row(output, "load average (1/5/15 min) before → after", $"{results.LoadBefore} → {results.LoadAfter}");
        WriteCpu(results, completedInWindow, window, output);
        WriteStatements(results.Statements, completedInWindow, output);
        var rssGrowing = WriteMemory(results, output);
        var growing = WriteManagedHeaps(results, rssGrowing, output);
        WriteTimeline(results, output);
        return new LoadVerdict(lostRuns, unfinished, lostEvents, duplicates, outOfOrder, results.Counters.ErrorCount, growing);
    }

    private static void WriteStatements(PgStatementsWindow? statements, int completedInWindow, TextWriter output)
    {
        if (statements is null)
        {
            return;
        }

        double runs = Math.Max(1, completedInWindow);
        output.WriteLine();
        output.WriteLine(Invariant($"PostgreSQL statements in the measured window (`pg_stat_statements`, every process; per completed run): {statements.TotalCalls / runs:N2} calls, {statements.TotalExecMs / runs:N3} ms of execution. The {statements.Top.Count} with the most execution time:"));
        output.WriteLine();
        output.WriteLine("| statement | calls | exec ms | mean ms | rows | WAL bytes |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var statement in statements.Top)
        {
            var text = string.Join(' ', statement.Query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|", StringComparison.Ordinal);
            text = text.Length > 110 ? text[..110] + "…" : text;
            output.WriteLine(Invariant(
                $"| `{text}` | {statement.Calls / runs:N3} | {statement.ExecMs / runs:N3} | {statement.ExecMs / Math.Max(1, statement.Calls):N3} | {statement.Rows / runs:N2} | {statement.WalBytes / runs:N0} |"));
        }
    }

    private static void WriteCpu(LoadResults results, int completedInWindow, double window, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("CPU in the measured window (from /proc: utime + stime; PostgreSQL = postmaster and its backends):");
        output.WriteLine();
        output.WriteLine("| process | cores busy (of " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) + ") | ms per completed run |");
        output.WriteLine("| --- | ---: | ---: |");
        double total = 0;
        for (var i = 0; i < results.Processes.Count; i++)
        {
            var cpu = results.WindowEnd.CpuSeconds[i] - results.WindowStart.CpuSeconds[i];
            total += results.Processes[i].Name == "load test" ? 0 : cpu;
            output.WriteLine(Invariant($"| {results.Processes[i].Name} | {cpu / window:N2} | {cpu * 1000 / Math.Max(1, completedInWindow):N2} |"));
        }

        output.WriteLine(Invariant($"| **platform (all but the load test)** | {total / window:N2} | **{total * 1000 / Math.Max(1, completedInWindow):N2}** |"));
        var busy = (results.WindowEnd.MachineBusySeconds - results.WindowStart.MachineBusySeconds) / (results.WindowEnd.MachineTotalSeconds - results.WindowStart.MachineTotalSeconds);
        output.WriteLine(Invariant($"| machine (every process, other users too) | {busy * Environment.ProcessorCount:N2} | |"));
    }

    /// <summary>Memory after warm-up: mean of the first third of the samples against the mean of the last third.</summary>
    private static List<string> WriteMemory(LoadResults results, TextWriter output)
    {
        var samples = results.Samples.Where(s => s.Timestamp >= results.WindowStart.Timestamp && s.Timestamp <= results.WindowEnd.Timestamp).ToList();
        var growing = new List<string>();
        output.WriteLine();
        output.WriteLine(Invariant($"Memory after warm-up ({samples.Count} samples; RSS, PostgreSQL as PSS of postmaster + backends; flat = last third's mean within {FlatTolerance:P0} of the first third's):"));
        output.WriteLine();
        output.WriteLine("| process | first third (MiB) | last third (MiB) | max (MiB) | growth | verdict |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        for (var i = 0; i < results.Processes.Count; i++)
        {
            var process = results.Processes[i];
            if (samples.Count < 3)
            {
                output.WriteLine($"| {process.Name} | | | | | too few samples |");
                continue;
            }

            var (first, last) = FirstAndLastThird([.. samples.Select(s => s.MemoryBytes[i] / 1048576.0)]);
            var max = samples.Max(s => s.MemoryBytes[i]) / 1048576.0;
            var growth = (last - first) / first;
            var flat = growth <= FlatTolerance;
            if (!flat && !process.HoldsRetainedData && process.Name != "load test")
            {
                growing.Add(process.Name);
            }

            var verdict = process.Name == "load test" ? "(keeps every run's record by design)"
                : process.HoldsRetainedData ? (flat ? "flat" : "grows with retained data (by design)")
                : flat ? "flat" : "grows";
            output.WriteLine(Invariant($"| {process.Name} | {first:N0} | {last:N0} | {max:N0} | {growth:+0.0%;-0.0%} | {verdict} |"));
        }

        return growing;
    }

    /// <summary>
    /// The leak verdict: each service's live managed heap after a full collection, read at the start of the measured
    /// window, every <c>--heap-every</c> seconds and at its end; the mean of the first third of the readings against
    /// the mean of the last third (or the first against the last when there are fewer than three). RSS follows the
    /// garbage waiting between collections, so it is shown, not judged, for a service whose heap was read. Returns the
    /// services that grew beyond the tolerance.
    /// </summary>
    private static List<string> WriteManagedHeaps(LoadResults results, List<string> rssGrowing, TextWriter output)
    {
        var samples = results.Heaps ?? [];
        var growing = new List<string>();
        output.WriteLine();
        output.WriteLine(Invariant($"Live managed heap after a full blocking collection induced over the diagnostic port, {samples.Count} readings from the end of the warm-up to the end of the schedule (live = what survived it; heap = generation sizes after it; GC committed = the runtime's `dotnet.gc.last_collection.memory.committed_size` and RSS, both read right after it, so RSS − committed is memory outside the managed heap; flat = the last third's mean live heap within {FlatTolerance:P0} of the first third's):"));
        output.WriteLine();
        output.WriteLine("| process | live, first third → last third (MiB) | growth | live min – max (MiB) | heap after the collection, first → last (MiB) | GC committed, first → last (MiB) | RSS after the collection, first → last (MiB) | longest collection (ms) | verdict |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var process in results.Processes.Where(p => !p.HoldsRetainedData && p.Name != "load test"))
        {
            var heaps = samples.Select(s => s.Heaps.GetValueOrDefault(process.Name)).OfType<ManagedHeap>().ToList();
            if (heaps.Count < 2)
            {
                output.WriteLine($"| {process.Name} | not read | | | | | | | RSS: {(rssGrowing.Contains(process.Name) ? "**GROWS**" : "flat")} |");
                if (rssGrowing.Contains(process.Name))
                {
                    growing.Add(process.Name);
                }

                continue;
            }

            var (first, last) = FirstAndLastThird([.. heaps.Select(h => (double)h.LiveBytes)]);
            var growth = (last - first) / first;
            var flat = growth <= FlatTolerance;
            if (!flat)
            {
                growing.Add(process.Name);
            }

            var (start, end) = (heaps[0], heaps[^1]);
            output.WriteLine(Invariant(
                $"| {process.Name} | {first / 1048576.0:N1} → {last / 1048576.0:N1} | {growth:+0.0%;-0.0%} | {Mib(heaps.Min(h => h.LiveBytes)):N1} – {Mib(heaps.Max(h => h.LiveBytes)):N1} | {Mib(start.HeapBytes):N1} → {Mib(end.HeapBytes):N1} | {Committed(start)} → {Committed(end)} | {Mib(start.RssBytes):N0} → {Mib(end.RssBytes):N0} | {heaps.Max(h => h.Collection.TotalMilliseconds):N0} | {(flat ? "**flat**" : "**GROWS**")} |"));
        }

        if (samples.Count > 2)
        {
            var names = results.Processes.Where(p => !p.HoldsRetainedData && p.Name != "load test").Select(p => p.Name).ToList();
            output.WriteLine();
            output.WriteLine("Live managed heap over time (MiB after each full collection; t from the start of the schedule):");
            output.WriteLine();
            output.WriteLine("| t (s) | " + string.Join(" | ", names) + " |");
            output.WriteLine("| ---: |" + string.Concat(names.Select(_ => " ---: |")));
            foreach (var sample in samples)
            {
                output.WriteLine(Invariant($"| {Seconds(sample.Timestamp - results.Schedule.StartTimestamp):N0} | ")
                    + string.Join(" | ", names.Select(n => sample.Heaps.GetValueOrDefault(n) is { } h ? Invariant($"{Mib(h.LiveBytes):N1}") : "–")) + " |");
            }
        }

        return growing;
    }

    /// <summary>The mean of the first third of <paramref name="values"/> and of the last third (the first and the last value when there are fewer than three).</summary>
    private static (double First, double Last) FirstAndLastThird(double[] values)
    {
        var third = Math.Max(1, values.Length / 3);
        return (values.Take(third).Average(), values.TakeLast(third).Average());
    }

    private static double Mib(long bytes) => bytes / 1048576.0;

    private static string Committed(ManagedHeap heap) => heap.CommittedBytes is { } bytes ? Invariant($"{Mib(bytes):N0}") : "n/a";

    private static void WriteTimeline(LoadResults results, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Over time (cores busy since the previous sample / resident MiB):");
        output.WriteLine();
        var header = new StringBuilder("| t (s) |");
        var rule = new StringBuilder("| ---: |");
        foreach (var process in results.Processes)
        {
            header.Append(' ').Append(process.Name).Append(" |");
            rule.Append(" ---: |");
        }

        output.WriteLine(header.Append(" machine cores | load (1 min) |"));
        output.WriteLine(rule.Append(" ---: | ---: |"));
        var samples = results.Samples.OrderBy(s => s.Timestamp).ToList();
        for (var k = 1; k < samples.Count; k++)
        {
            var (previous, current) = (samples[k - 1], samples[k]);
            var wall = Seconds(current.Timestamp - previous.Timestamp);
            if (wall < 0.5)
            {
                continue;
            }

            var line = new StringBuilder(Invariant($"| {Seconds(current.Timestamp - results.Schedule.StartTimestamp):N0} |"));
            for (var i = 0; i < results.Processes.Count; i++)
            {
                line.Append(Invariant($" {(current.CpuSeconds[i] - previous.CpuSeconds[i]) / wall:N2} / {current.MemoryBytes[i] / 1048576.0:N0} |"));
            }

            var machine = (current.MachineBusySeconds - previous.MachineBusySeconds) / (current.MachineTotalSeconds - previous.MachineTotalSeconds) * Environment.ProcessorCount;
            output.WriteLine(line.Append(Invariant($" {machine:N2} | {current.LoadAverage.Split(' ')[0]} |")));
        }
    }

    private static double Percentile(double[] sorted, double quantile)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"| {name} | {value} |");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
