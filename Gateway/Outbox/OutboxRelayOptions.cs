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
    /// Default: 4, so that some loops publish while others wait on the database or for a busy thread pool; on the
    /// 2-core benchmark machine, 2 loops fell seconds behind 2,700 submits/s where 4 kept up.
    /// </summary>
    public int ConcurrentBatches { get; set; } = 4;

    /// <summary><c>Gateway:Outbox:PollInterval</c>: the wait between polls when no submit signals. Default: 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Gateway:Outbox:InitialBackoff</c>: the first wait after a failed batch (doubled each failure). Default: 200 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary><c>Gateway:Outbox:MaxBackoff</c>: the longest wait after failures. Default: 30 seconds.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Gateway:Outbox:StreamMaxLength</c>: the approximate cap (<c>MAXLEN ~</c>) of the jobs stream. Default: 100000.</summary>
    public long StreamMaxLength { get; set; } = 100_000;
}
