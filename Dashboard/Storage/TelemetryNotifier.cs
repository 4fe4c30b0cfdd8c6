using System.Threading.Channels;

namespace Observability.Dashboard.Storage;

/// <summary>Fans new-data notifications out to live-stream subscribers. A slow subscriber loses its oldest notifications, never blocks ingest.</summary>
internal sealed class TelemetryNotifier
{
    private readonly Lock _lock = new();
    private readonly List<Channel<TelemetryChange>> _subscribers = [];

    public void Publish(TelemetryChange change)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>Notifications from now on, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<TelemetryChange> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<TelemetryChange>(new BoundedChannelOptions(1_024) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
