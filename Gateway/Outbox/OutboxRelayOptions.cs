namespace Observability.Gateway.Outbox;

/// <summary>How the Gateway relays committed jobs to Redis (section <c>Gateway:Outbox</c>).</summary>
internal sealed class OutboxRelayOptions
{
    public const string SectionName = "Gateway:Outbox";

    /// <summary>
    /// <c>Gateway:Outbox:BatchSize</c>: messages claimed per batch, all published at once (pipelined). Default: 500
    /// (the most a batch may hold): under a burst of submits, big batches let the relay keep up with few round trips.
    /// </summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// <c>Gateway:Outbox:ConcurrentBatches</c>: relay loops claiming and publishing batches side by side (1 to 8).
    /// Default: 2, so that one loop publishes while the other waits on the database.
    /// </summary>
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary><c>Gateway:Outbox:PollInterval</c>: the wait between polls when no submit signals. Default: 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Gateway:Outbox:InitialBackoff</c>: the first wait after a failed batch (doubled each failure). Default: 200 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary><c>Gateway:Outbox:MaxBackoff</c>: the longest wait after failures. Default: 30 seconds.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Gateway:Outbox:StreamMaxLength</c>: the approximate cap (<c>MAXLEN ~</c>) of the jobs stream. Default: 100000.</summary>
    public long StreamMaxLength { get; set; } = 100_000;
}
