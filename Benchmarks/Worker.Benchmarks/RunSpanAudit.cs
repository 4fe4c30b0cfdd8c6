using System.Globalization;
using Observability.TestInfrastructure.Otlp;

namespace Observability.Worker.Benchmarks;

/// <summary>
/// <c>--telemetry export</c>: whether every seeded run's trace received the spans a completed five-step run produces,
/// from the receiver's counts per trace and span name (read after the worker exited, so after its exporters' last
/// flush). The spans whose number is the same in every run are checked exactly; the others (how many Redis script
/// calls a run's 18 events take depends on what is in flight) are reported as a range.
/// </summary>
internal static class RunSpanAudit
{
    /// <summary>
    /// The spans of one completed run of <see cref="RunSeeder"/>'s task (5 steps; the simulated model at zero latency)
    /// whose count does not vary from run to run, by name: the job's consumer span, the run and its stages, one span
    /// per step, six model calls (the plan and one per step), the worker's three kinds of statements (start; plan and
    /// steps; each step's completion, the last one completing the run) and its two Redis commands outside the event
    /// appends (the run's last event at its start, the job's acknowledgement). The event appends (<c>EVAL</c>, one per
    /// script call carrying one or more of the run's 18 events) vary.
    /// </summary>
    public static IReadOnlyDictionary<string, int> FixedSpans { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["workflows.jobs process"] = 1,
        ["workflow.run"] = 1,
        ["workflow.plan"] = 1,
        ["workflow.route"] = 1,
        ["workflow.validate"] = 1,
        ["workflow.step scope"] = 1,
        ["workflow.step task-1"] = 1,
        ["workflow.step task-2"] = 1,
        ["workflow.step task-3"] = 1,
        ["workflow.step review"] = 1,
        ["chat gpt-4o-mini"] = 6,
        ["UPDATE workflow_runs"] = 1,
        ["UPDATE workflow_runs INSERT workflow_steps"] = 1,
        ["UPDATE workflow_steps UPDATE workflow_runs"] = 5,
        ["XREVRANGE"] = 1,
        ["XACK"] = 1,
    };

    /// <summary>Prints spans per run by name and the runs that miss a fixed span; returns how many runs miss one.</summary>
    public static int Print(OtlpTelemetryCounts counts, IReadOnlyList<string> traceIds, TextWriter writer)
    {
        var byName = new Dictionary<string, NameStats>(StringComparer.Ordinal);
        long spans = 0, logRecords = 0;
        int missing = 0, surplus = 0, empty = 0;
        foreach (var traceId in traceIds)
        {
            var trace = counts.Trace(traceId);
            if (trace is null)
            {
                empty++;
                missing++;
                continue;
            }

            spans += trace.Spans;
            logRecords += trace.LogRecords;
            foreach (var (name, count) in trace.SpansByName)
            {
                if (!byName.TryGetValue(name, out var stats))
                {
                    byName[name] = stats = new NameStats();
                }

                stats.Add(count);
            }

            if (FixedSpans.Any(span => trace.SpansByName.GetValueOrDefault(span.Key) < span.Value))
            {
                missing++;
            }

            if (FixedSpans.Any(span => trace.SpansByName.GetValueOrDefault(span.Key) > span.Value))
            {
                surplus++;
            }
        }

        var runs = traceIds.Count;
        writer.WriteLine(Invariant($"""

            Spans received (OTLP, counted per trace): {counts.Spans} in all, {spans} in the {runs} seeded runs' traces = {spans / (double)runs:F2} per run, {counts.Spans - spans} in other traces
            Log records received: {counts.LogRecords} in all, {logRecords / (double)runs:F2} per run in the runs' traces; metrics: {counts.Metrics}; export requests: {counts.Requests(OtlpSignal.Traces)} traces, {counts.Requests(OtlpSignal.Logs)} logs, {counts.Requests(OtlpSignal.Metrics)} metrics
            Spans per run by name (fixed: expected in every run exactly; min-max over the seeded runs, 0 where a run has none):
              expected   min-max    mean   name
            """));
        foreach (var name in byName.Keys.Union(FixedSpans.Keys).Order(StringComparer.Ordinal))
        {
            var stats = byName.GetValueOrDefault(name) ?? new NameStats();
            var min = stats.Runs < runs ? 0 : stats.Min;
            var expected = FixedSpans.TryGetValue(name, out var fixedCount) ? fixedCount.ToString(CultureInfo.InvariantCulture) : "varies";
            writer.WriteLine(Invariant($"  {expected,8}   {min,3}-{stats.Max,-3}   {stats.Sum / (double)runs,5:F2}   {name}"));
        }

        writer.WriteLine(Invariant($"Runs missing a fixed span: {missing} of {runs} ({empty} with no span at all); runs with a fixed span more than expected: {surplus}"));
        return missing;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class NameStats
    {
        public int Runs { get; private set; }

        public int Min { get; private set; } = int.MaxValue;

        public int Max { get; private set; }

        public long Sum { get; private set; }

        public void Add(int count)
        {
            Runs++;
            Min = Math.Min(Min, count);
            Max = Math.Max(Max, count);
            Sum += count;
        }
    }
}
