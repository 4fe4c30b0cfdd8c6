using System.Collections.Concurrent;

namespace Observability.LoadTest;

/// <summary>Counters shared by every client: submits in flight, accepted and finished runs, and errors by kind.</summary>
internal sealed class LoadCounters
{
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _submitted;
    private long _inFlight;
    private long _accepted;
    private long _finished;
    private long _truncated;
    private long _resubscribed;

    /// <summary>Submits started.</summary>
    public long Submitted => Interlocked.Read(ref _submitted);

    /// <summary>Submits whose answer (or failure) has not come back yet.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Runs the Gateway accepted (2xx with a run id and a ticket).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Runs whose terminal event (Completed, Failed, Cancelled) arrived over the WebSocket.</summary>
    public long Finished => Interlocked.Read(ref _finished);

    /// <summary>
    /// <c>truncated</c> frames: the hub said events of a run may be gone (a protocol frame, not an error; whether any
    /// event was in fact lost is checked against the run's stream at the end).
    /// </summary>
    public long Truncated => Interlocked.Read(ref _truncated);

    /// <summary>Subscribes the hub refused with <c>unavailable</c> (it could not read the run's events or state), subscribed again as the protocol asks.</summary>
    public long Resubscribed => Interlocked.Read(ref _resubscribed);

    /// <summary>Errors by kind (non-2xx status, transport failure, hub error code, unexpected frame).</summary>
    public IReadOnlyDictionary<string, long> Errors => _errors;

    public long ErrorCount => _errors.Values.Sum();

    public void SubmitStarted()
    {
        Interlocked.Increment(ref _submitted);
        Interlocked.Increment(ref _inFlight);
    }

    public void SubmitEnded() => Interlocked.Decrement(ref _inFlight);

    public void RunAccepted() => Interlocked.Increment(ref _accepted);

    public void RunFinished() => Interlocked.Increment(ref _finished);

    public void TruncatedFrame() => Interlocked.Increment(ref _truncated);

    public void Resubscribe() => Interlocked.Increment(ref _resubscribed);

    public void Error(string kind) => _errors.AddOrUpdate(kind, 1, (_, count) => count + 1);
}
