using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Tests;

/// <summary>
/// Records every span of the batched statements' source, of Npgsql and of the tests' own source stopped while it
/// lives (the listener samples them all); tests pick theirs by trace id.
/// </summary>
internal sealed class SpanCapture : IDisposable
{
    private const string TestSourceName = "Observability.Workflows.Tests";

    /// <summary>The tests' own source, for the callers' spans.</summary>
    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is StatementBatcher.ActivitySourceName or "Npgsql" or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>The batched statements' spans in the trace of <paramref name="traceId"/>.</summary>
    public IReadOnlyList<Activity> Statements(ActivityTraceId traceId)
        => [.. _stopped.Where(a => a.Source.Name == StatementBatcher.ActivitySourceName && a.TraceId == traceId)];

    public void Dispose() => _listener.Dispose();
}
