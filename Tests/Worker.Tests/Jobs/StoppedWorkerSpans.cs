using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.Worker.Monitoring;

namespace Observability.Worker.Tests.Jobs;

/// <summary>Records every span of the worker's source as it stops, and waits for one that matches.</summary>
internal sealed class StoppedWorkerSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public StoppedWorkerSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IEnumerable<Activity> All => _stopped;

    /// <summary>The first stopped span matching <paramref name="match"/>, polling until the test's token ends.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    public void Dispose() => _listener.Dispose();
}
