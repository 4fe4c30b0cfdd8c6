using System.Threading.Channels;

namespace Observability.Gateway.Outbox;

/// <summary>Wakes the relay right after a submit committed a job, instead of at its next poll.</summary>
internal sealed class OutboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = false,
    });

    /// <summary>Asks for a relay pass (one waiting relay loop wakes); signals coalesce while one is pending.</summary>
    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a signal or until <paramref name="timeout"/> passes; consumes the signal.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _channel.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
            _channel.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a signal.
        }
    }
}
