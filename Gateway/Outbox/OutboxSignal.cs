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

    /// <summary>
    /// Waits for a signal or until <paramref name="timeout"/> passes; true when this caller consumed a signal. Of several
    /// waiting callers one signal wakes one: <c>WaitToReadAsync</c> completes for every waiting reader, so the others,
    /// finding the signal taken, wait again (each of them woken would otherwise send the database a claim of its own).
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                if (_channel.Reader.TryRead(out _))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a signal.
        }

        return false;
    }
}
