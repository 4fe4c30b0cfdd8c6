using Observability.Redis.Protocol;
using Observability.Redis.PubSub;

namespace Observability.Redis;

/// <summary>
/// Pub/sub: PUBLISH on the shared connection; SUBSCRIBE and PSUBSCRIBE on the dedicated subscriber connection
/// (re-established with its subscriptions after a reconnect). Dispose a subscription to UNSUBSCRIBE.
/// </summary>
public static class RedisPubSubCommands
{
    /// <summary>How many messages a subscription keeps unread before it drops the oldest.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>PUBLISH: how many subscribers received the message.</summary>
    public static ValueTask<long> PublishAsync(this RedisClient client, string channel, RedisValue message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder("PUBLISH", 2);
        command.AddText(channel);
        command.Add(message);
        return client.SendAsync(ref command, ReplyParsers.Integer, cancellationToken);
    }

    /// <summary>SUBSCRIBE: completes once the server has confirmed the subscription.</summary>
    public static Task<RedisSubscription> SubscribeAsync(this RedisClient client, string channel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Subscriber.SubscribeAsync(channel, isPattern: false, DefaultCapacity, cancellationToken);
    }

    /// <summary>PSUBSCRIBE to a glob pattern such as <c>news.*</c>.</summary>
    public static Task<RedisSubscription> PSubscribeAsync(this RedisClient client, string pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Subscriber.SubscribeAsync(pattern, isPattern: true, DefaultCapacity, cancellationToken);
    }
}
