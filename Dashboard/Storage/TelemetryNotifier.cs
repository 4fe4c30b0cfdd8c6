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

    /// <summary>Starts receiving notifications now; dispose the subscription to stop.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<TelemetryChange>(new BoundedChannelOptions(1_024) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    private void Remove(Channel<TelemetryChange> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
    }

    /// <summary>One subscriber's notifications.</summary>
    internal sealed class Subscription(TelemetryNotifier notifier, Channel<TelemetryChange> channel) : IDisposable
    {
        public ChannelReader<TelemetryChange> Reader => channel.Reader;

        public void Dispose() => notifier.Remove(channel);
    }
}
