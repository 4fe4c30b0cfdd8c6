using System.Threading.Channels;

namespace Observability.Redis.PubSub;

/// <summary>
/// A live subscription. Messages queue in <see cref="Messages"/> (the oldest are dropped beyond its capacity, as
/// pub/sub is at-most-once anyway, and counted in <see cref="Dropped"/>); the subscription survives reconnects.
/// Dispose to unsubscribe.
/// </summary>
/// <remarks>
/// Pub/sub does not keep messages for a subscriber that is away: whatever is published while the subscriber
/// connection is down (Redis restart, network drop, <c>CLIENT KILL</c>) is lost for this subscription. The client
/// subscribes again on the next connection by itself and then tells the owner, so that an owner who must not miss
/// anything can re-read its source of truth (a stream, a table) from where it stopped:
/// <list type="bullet">
/// <item><see cref="IsEstablished"/> is false from the drop until the server confirms the subscription again.</item>
/// <item><see cref="Reestablishments"/> counts those re-confirmations, and each one is written to
/// <see cref="Reestablished"/> (only the latest count is kept unread).</item>
/// <item>Both change on the connection's receive loop as the confirmation is read, so before any message received on
/// the new connection is written to <see cref="Messages"/>. An owner that reads a message, then compares
/// <see cref="Reestablishments"/> with the count it has handled before it handles that message, therefore never
/// handles a message from the new connection as if nothing had been lost before it.</item>
/// </list>
/// </remarks>
public sealed class RedisSubscription : IAsyncDisposable
{
    private readonly RedisSubscriber _subscriber;
    private readonly Channel<RedisPubSubMessage> _messages;
    private readonly Channel<long> _reestablished = System.Threading.Channels.Channel.CreateBounded<long>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleWriter = true,
    });

    private long _dropped;
    private long _confirmedGeneration;
    private long _reestablishments;
    private volatile bool _established;
    private int _disposed;

    internal RedisSubscription(RedisSubscriber subscriber, string channel, bool isPattern, int capacity)
    {
        _subscriber = subscriber;
        Channel = channel;
        IsPattern = isPattern;
        _messages = System.Threading.Channels.Channel.CreateBounded<RedisPubSubMessage>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
            },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>The channel name, or the glob pattern for <c>PSUBSCRIBE</c>.</summary>
    public string Channel { get; }

    public bool IsPattern { get; }

    public ChannelReader<RedisPubSubMessage> Messages => _messages.Reader;

    /// <summary>
    /// How many messages were dropped because <see cref="Messages"/> was full (the oldest go first). The count is raised
    /// before the newer message is queued, so an owner that reads a message and then finds the count moved knows that
    /// something older than that message was lost, and can re-read its source of truth.
    /// </summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Whether the server has confirmed this subscription on the open subscriber connection (false from a drop until it is confirmed again).</summary>
    public bool IsEstablished => _established;

    /// <summary>How many times the subscription was confirmed again on a new connection after a drop (0 until the first drop).</summary>
    public long Reestablishments => Volatile.Read(ref _reestablishments);

    /// <summary>
    /// Receives the new <see cref="Reestablishments"/> count each time the subscription is confirmed again after a drop
    /// (messages published meanwhile were lost); completes when the subscription ends.
    /// </summary>
    public ChannelReader<long> Reestablished => _reestablished.Reader;

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
            Complete();
        }
    }

    internal void Deliver(RedisPubSubMessage message) => _messages.Writer.TryWrite(message);

    /// <summary>
    /// The server confirmed the subscription on the connection of <paramref name="generation"/> (called on that
    /// connection's receive loop, under the subscriber's lock). A confirmation on a newer connection than the last one
    /// is a re-establishment when there was a last one.
    /// </summary>
    internal void Confirmed(long generation)
    {
        if (generation <= _confirmedGeneration)
        {
            return;
        }

        var again = _confirmedGeneration != 0;
        _confirmedGeneration = generation;
        _established = true;
        if (again)
        {
            _reestablished.Writer.TryWrite(Interlocked.Increment(ref _reestablishments));
        }
    }

    /// <summary>The connection of <paramref name="generation"/> ended (under the subscriber's lock).</summary>
    internal void Lost(long generation)
    {
        if (generation == _confirmedGeneration)
        {
            _established = false;
        }
    }

    internal void Complete()
    {
        _established = false;
        _messages.Writer.TryComplete();
        _reestablished.Writer.TryComplete();
    }
}
