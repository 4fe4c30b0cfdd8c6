using System.Threading.Channels;

namespace Observability.Worker.Jobs;

/// <summary>
/// Raised by the job consumer when Redis answers NOGROUP (the job stream or its group is gone): the
/// <see cref="RedisReconciler"/> then checks at once instead of at its next interval. Repeated raises coalesce.
/// </summary>
internal sealed class RedisLossSignal
{
    private readonly Channel<bool> _raised = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Raise() => _raised.Writer.TryWrite(true);

    /// <summary>Consumes a pending raise; true when there was one.</summary>
    public bool TryConsume() => _raised.Reader.TryRead(out _);

    /// <summary>Waits until raised (without consuming it) or until <paramref name="cancellationToken"/> is cancelled.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _raised.Reader.WaitToReadAsync(cancellationToken);
}
