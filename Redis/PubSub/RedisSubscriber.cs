using Microsoft.Extensions.Logging;
using Observability.Redis.Configuration;
using Observability.Redis.Connection;
using Observability.Redis.Protocol;
using Observability.Redis.Telemetry;

namespace Observability.Redis.PubSub;

/// <summary>
/// The dedicated pub/sub connection: keeps the registry of subscriptions, routes incoming messages to them, and
/// subscribes to everything again on every new connection. Each connection gets a generation number; a subscription
/// records the generation the server last confirmed it on (as the confirmation is read, on the receive loop, so before
/// any later message), which is how it knows it was re-established after a drop.
/// </summary>
internal sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<RedisSubscription>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RedisSubscription>> _patterns = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly ConnectionManager _manager;
    private readonly RespLimits _limits;
    private readonly TimeSpan _timeout;
    private RedisConnection? _connection;
    private long _generation;
    private int _disposed;

    public RedisSubscriber(RedisClientOptions options, RedisInstrumentation instrumentation, ILogger logger, TimeProvider timeProvider)
    {
        _timeout = options.CommandTimeout;
        _limits = RespLimits.Default with { MaxBulkLength = options.MaxBulkLength };
        _manager = new ConnectionManager(options, isSubscriber: true, instrumentation, logger, timeProvider, OnPush, ResubscribeAsync);
    }

    public async Task<RedisSubscription> SubscribeAsync(string channel, bool isPattern, int capacity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var subscription = new RedisSubscription(this, channel, isPattern, capacity);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool first;
            lock (_gate)
            {
                var registry = isPattern ? _patterns : _channels;
                first = !registry.TryGetValue(channel, out var list);
                if (first)
                {
                    registry[channel] = list = [];
                }

                list!.Add(subscription);
            }

            try
            {
                var connection = await _manager.GetAsync(cancellationToken).ConfigureAwait(false);
                var generation = GenerationOf(connection);
                if (first)
                {
                    await SendAsync(connection, isPattern ? "PSUBSCRIBE" : "SUBSCRIBE", channel, generation, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The channel was confirmed on this connection before it was handed out (or by the first
                    // subscriber, which held the lock of changes until then).
                    lock (_gate)
                    {
                        subscription.Confirmed(generation);
                    }
                }
            }
            catch
            {
                Forget(subscription);
                throw;
            }

            return subscription;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task RemoveAsync(RedisSubscription subscription)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await _changes.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The client was disposed first; its subscriptions ended with it.
            return;
        }

        try
        {
            if (Forget(subscription) && _manager.Current is { } connection)
            {
                try
                {
                    await SendAsync(connection, subscription.IsPattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE", subscription.Channel, generation: 0, CancellationToken.None).ConfigureAwait(false);
                }
                catch (RedisException)
                {
                    // The connection is gone; the next one will not subscribe to this channel again.
                }
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _manager.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var subscription in _channels.Values.Concat(_patterns.Values).SelectMany(list => list))
            {
                subscription.Complete();
            }

            _channels.Clear();
            _patterns.Clear();
        }

        _changes.Dispose();
    }

    /// <summary>
    /// Sends (P)(UN)SUBSCRIBE and waits for the server's confirmation; a (P)SUBSCRIBE confirmation is recorded for the
    /// channel's subscriptions at <paramref name="generation"/> while the receive loop reads it.
    /// </summary>
    private async Task SendAsync(RedisConnection connection, string command, string channel, long generation, CancellationToken cancellationToken)
    {
        IReplyParser<RedisReply> parser = generation > 0 ? new ConfirmationParser(this, command == "PSUBSCRIBE", channel, generation) : ReplyParsers.Reply;
        try
        {
            await connection.SendAsync(parser, command, [channel], cancellationToken).AsTask().WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new RedisTimeoutException($"Redis did not confirm {command} {channel} within {_timeout.TotalMilliseconds:0} ms.", e);
        }
    }

    /// <summary>Removes a subscription; true when it was the channel's last one (so the server should forget it too).</summary>
    private bool Forget(RedisSubscription subscription)
    {
        lock (_gate)
        {
            var registry = subscription.IsPattern ? _patterns : _channels;
            if (!registry.TryGetValue(subscription.Channel, out var list) || !list.Remove(subscription))
            {
                return false;
            }

            if (list.Count > 0)
            {
                return false;
            }

            registry.Remove(subscription.Channel);
            return true;
        }
    }

    private long GenerationOf(RedisConnection connection)
    {
        lock (_gate)
        {
            return ReferenceEquals(connection, _connection) ? _generation : 0;
        }
    }

    /// <summary>Runs on every new connection before it is handed out: a new generation, and every channel again.</summary>
    private async Task ResubscribeAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        string[] channels;
        string[] patterns;
        long generation;
        lock (_gate)
        {
            generation = ++_generation;
            _connection = connection;
            channels = [.. _channels.Keys];
            patterns = [.. _patterns.Keys];
        }

        _ = connection.Closed.ContinueWith(
            static (_, state) =>
            {
                var (subscriber, generation) = ((RedisSubscriber, long))state!;
                subscriber.OnLost(generation);
            },
            (this, generation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        foreach (var channel in channels)
        {
            await SendAsync(connection, "SUBSCRIBE", channel, generation, cancellationToken).ConfigureAwait(false);
        }

        foreach (var pattern in patterns)
        {
            await SendAsync(connection, "PSUBSCRIBE", pattern, generation, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnConfirmed(bool isPattern, string channel, long generation)
    {
        lock (_gate)
        {
            if ((isPattern ? _patterns : _channels).TryGetValue(channel, out var list))
            {
                foreach (var subscription in list)
                {
                    subscription.Confirmed(generation);
                }
            }
        }
    }

    private void OnLost(long generation)
    {
        lock (_gate)
        {
            foreach (var subscription in _channels.Values.Concat(_patterns.Values).SelectMany(list => list))
            {
                subscription.Lost(generation);
            }
        }
    }

    private void OnPush(in RespFrame frame)
    {
        var reply = RedisReply.Parse(frame, _limits);
        var parts = reply.Elements;
        if (parts.Count < 3)
        {
            return;
        }

        var kind = parts[0].AsString();
        var isPattern = kind == "pmessage";
        if (isPattern && parts.Count < 4)
        {
            return;
        }

        var pattern = isPattern ? parts[1].AsString() : null;
        var channel = parts[isPattern ? 2 : 1].AsString() ?? "";
        var payload = parts[isPattern ? 3 : 2].Bytes ?? ReadOnlyMemory<byte>.Empty;
        var message = new RedisPubSubMessage(channel, pattern, payload);
        lock (_gate)
        {
            var registry = isPattern ? _patterns : _channels;
            if (registry.TryGetValue(isPattern ? pattern! : channel, out var list))
            {
                foreach (var subscription in list)
                {
                    subscription.Deliver(message);
                }
            }
        }
    }

    /// <summary>
    /// Reads a (P)SUBSCRIBE confirmation like any reply and, as it is read on the receive loop (so before any message
    /// that follows it is routed), records it for the channel's subscriptions.
    /// </summary>
    private sealed class ConfirmationParser(RedisSubscriber subscriber, bool isPattern, string channel, long generation) : IReplyParser<RedisReply>
    {
        public RedisReply Parse(in RespFrame frame, RespLimits limits)
        {
            var reply = RedisReply.Parse(frame, limits);
            subscriber.OnConfirmed(isPattern, channel, generation);
            return reply;
        }
    }
}
