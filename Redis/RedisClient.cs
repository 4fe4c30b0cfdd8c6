using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Observability.Redis.Configuration;
using Observability.Redis.Connection;
using Observability.Redis.Protocol;
using Observability.Redis.PubSub;
using Observability.Redis.Telemetry;

namespace Observability.Redis;

/// <summary>
/// An asynchronous Redis client. Ordinary commands of all callers share one multiplexed, pipelined connection;
/// blocking commands get connections of their own; pub/sub runs on a dedicated connection that re-subscribes after
/// a reconnect. Typed commands are extension methods (<see cref="RedisStringCommands"/>, <see cref="RedisHashCommands"/>,
/// <see cref="RedisStreamCommands"/>, <see cref="RedisScriptingCommands"/>, <see cref="RedisServerCommands"/>,
/// <see cref="RedisPubSubCommands"/>). Thread-safe; create one per server and share it.
/// </summary>
public sealed class RedisClient : IAsyncDisposable
{
    private const int MaxIdleBlockingConnections = 8;
    private readonly ConnectionManager _interactive;
    private readonly RedisInstrumentation _instrumentation;
    private readonly RedisServerStats _serverStats = new();
    private readonly ConcurrentQueue<RedisConnection> _idleBlocking = new();
    private readonly ILogger _logger;
    private readonly ITimer? _statsTimer;
    private readonly Lock _subscriberGate = new();
    private RedisSubscriber? _subscriber;
    private int _disposed;

    public RedisClient(RedisClientOptions options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException($"Invalid Redis options: {problem}", nameof(options));
        }

        Options = options;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Observability.Redis");
        _instrumentation = new RedisInstrumentation(options.Host, options.Port, options.Database, meterFactory, _serverStats);
        _interactive = new ConnectionManager(options, isSubscriber: false, _instrumentation, _logger, TimeProvider);
        if (options.ServerStatsInterval > TimeSpan.Zero)
        {
            _statsTimer = TimeProvider.CreateTimer(static state => _ = ((RedisClient)state!).RefreshServerStatsAsync(), this, options.ServerStatsInterval, options.ServerStatsInterval);
        }
    }

    public RedisClientOptions Options { get; }

    internal TimeProvider TimeProvider { get; }

    internal RedisInstrumentation Instrumentation => _instrumentation;

    internal RedisServerStats ServerStats => _serverStats;

    internal RedisSubscriber Subscriber
    {
        get
        {
            lock (_subscriberGate)
            {
                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                return _subscriber ??= new RedisSubscriber(Options, _instrumentation, _logger, TimeProvider);
            }
        }
    }

    /// <summary>Connects and sets up a client for <paramref name="connectionString"/>.</summary>
    public static async Task<RedisClient> ConnectAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var client = new RedisClient(RedisClientOptions.Parse(connectionString));
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the shared connection now rather than on the first command.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await _interactive.GetAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs any command, such as <c>ExecuteAsync("OBJECT", "ENCODING", key)</c>, and returns its reply.</summary>
    public ValueTask<RedisReply> ExecuteAsync(string command, params ReadOnlySpan<RedisValue> arguments) =>
        ExecuteAsync(command, arguments, CancellationToken.None);

    /// <summary>Runs any command with a cancellation token. Error replies throw <see cref="RedisServerException"/>.</summary>
    public ValueTask<RedisReply> ExecuteAsync(string command, ReadOnlySpan<RedisValue> arguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var builder = new CommandBuilder(command, arguments.Length);
        foreach (var argument in arguments)
        {
            builder.Add(argument);
        }

        return SendAsync(ref builder, ReplyParsers.Reply, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_statsTimer is not null)
        {
            await _statsTimer.DisposeAsync().ConfigureAwait(false);
        }

        RedisSubscriber? subscriber;
        lock (_subscriberGate)
        {
            subscriber = _subscriber;
        }

        if (subscriber is not null)
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
        }

        await _interactive.DisposeAsync().ConfigureAwait(false);
        while (_idleBlocking.TryDequeue(out var idle))
        {
            await idle.DisposeAsync().ConfigureAwait(false);
        }

        _instrumentation.Dispose();
    }

    /// <summary>Reads <c>INFO stats</c> into the server gauges (evictions, keyspace hit ratio).</summary>
    internal async Task RefreshServerStatsAsync()
    {
        try
        {
            var info = await this.InfoAsync("stats").ConfigureAwait(false);
            _serverStats.Update(info);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException or OperationCanceledException)
        {
            Log.ServerStatsFailed(_logger, _interactive.Endpoint, e);
        }
    }

    /// <summary>
    /// Sends a built command on the shared connection and disposes the builder. When connected this completes
    /// synchronously up to the reply and allocates nothing but the pooled command's first use.
    /// </summary>
    internal ValueTask<T> SendAsync<T>(ref CommandBuilder command, IReplyParser<T> parser, CancellationToken cancellationToken)
    {
        try
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<T>(cancellationToken);
            }

            if (_interactive.Current is { } connection)
            {
                return connection.SendAsync(command, parser, _interactive.NewDeadline(), cancellationToken, instrument: true);
            }

            return SendWhenConnectedAsync(command.Name, command.Written.ToArray(), parser, cancellationToken);
        }
        finally
        {
            command.Dispose();
        }
    }

    /// <summary>
    /// Sends a blocking command (<c>XREADGROUP ... BLOCK</c>) on a connection of its own, so the shared connection
    /// never waits behind it. The command may take <paramref name="block"/> plus the command timeout.
    /// </summary>
    internal ValueTask<T> SendBlockingAsync<T>(ref CommandBuilder command, IReplyParser<T> parser, TimeSpan block, CancellationToken cancellationToken)
    {
        try
        {
            return SendBlockingCoreAsync(command.Name, command.Written.ToArray(), parser, block, cancellationToken);
        }
        finally
        {
            command.Dispose();
        }
    }

    private async ValueTask<T> SendWhenConnectedAsync<T>(string name, byte[] command, IReplyParser<T> parser, CancellationToken cancellationToken)
    {
        var connection = await _interactive.GetAsync(cancellationToken).ConfigureAwait(false);
        var pending = PendingCommand<T>.Rent(name, parser, _interactive.NewDeadline(), _instrumentation, cancellationToken);
        var task = pending.Task;
        connection.Send(command, pending);
        return await task.ConfigureAwait(false);
    }

    private static async Task<long> GetClientIdAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.SendAsync(ReplyParsers.Integer, "CLIENT", ["ID"], cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            // An ACL user without CLIENT: blocking reads still work, a cancelled one just cannot be unblocked early.
            return 0;
        }
    }

    private async Task UnblockAsync(long clientId)
    {
        if (clientId == 0 || _disposed != 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(Options.CommandTimeout);
            await ExecuteAsync("CLIENT", ["UNBLOCK", clientId], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or OperationCanceledException)
        {
            // Best effort: closing the connection unblocks it too, only later.
        }
    }

    private async ValueTask<T> SendBlockingCoreAsync<T>(string name, byte[] command, IReplyParser<T> parser, TimeSpan block, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_idleBlocking.TryDequeue(out var connection) || !connection.IsOpen)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            connection = await RedisConnection.ConnectAsync(Options, isSubscriber: false, _instrumentation, cancellationToken).ConfigureAwait(false);
            connection.ClientId = await GetClientIdAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        var limit = block + Options.CommandTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var pending = PendingCommand<T>.Rent(name, parser, long.MaxValue, _instrumentation, timeout.Token);
        var task = pending.Task;
        connection.Send(command, pending);
        try
        {
            var result = await task.ConfigureAwait(false);
            if (_disposed == 0 && _idleBlocking.Count < MaxIdleBlockingConnections)
            {
                _idleBlocking.Enqueue(connection);
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return result;
        }
        catch (Exception e)
        {
            // Cancelled or timed out, the server may still be blocked in the command: unblock it first, so it cannot hand this abandoned read an
            // entry that a later command of the caller adds (XREADGROUP would leave it pending for nobody to read).
            // Then drop the connection: the reply may still arrive later, so it cannot be reused.
            if (e is OperationCanceledException && connection.IsOpen)
            {
                await UnblockAsync(connection.ClientId).ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new RedisTimeoutException($"Redis did not answer {name} within {limit.TotalMilliseconds:0} ms.", e);
            }

            throw;
        }
    }
}
