using System.Threading.Channels;

namespace Observability.Redis.PubSub;

/// <summary>
/// A live subscription. Messages queue in <see cref="Messages"/> (the oldest are dropped beyond its capacity, as
/// pub/sub is at-most-once anyway); the subscription survives reconnects. Dispose to unsubscribe.
/// </summary>
public sealed class RedisSubscription : IAsyncDisposable
{
    private readonly RedisSubscriber _subscriber;
    private readonly Channel<RedisPubSubMessage> _messages;
    private int _disposed;

    internal RedisSubscription(RedisSubscriber subscriber, string channel, bool isPattern, int capacity)
    {
        _subscriber = subscriber;
        Channel = channel;
        IsPattern = isPattern;
        _messages = System.Threading.Channels.Channel.CreateBounded<RedisPubSubMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = true,
        });
    }

    /// <summary>The channel name, or the glob pattern for <c>PSUBSCRIBE</c>.</summary>
    public string Channel { get; }

    public bool IsPattern { get; }

    public ChannelReader<RedisPubSubMessage> Messages => _messages.Reader;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _subscriber.RemoveAsync(this).ConfigureAwait(false);
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    internal void Deliver(RedisPubSubMessage message) => _messages.Writer.TryWrite(message);

    internal void Complete() => _messages.Writer.TryComplete();
}
