using Microsoft.Extensions.Logging;
using Observability.Redis.Configuration;
using Observability.Redis.Telemetry;

namespace Observability.Redis.Connection;

/// <summary>
/// Keeps one logical connection alive: connects on first use, and after a drop reconnects with exponential backoff
/// (50 ms doubling up to <see cref="RedisClientOptions.MaxReconnectDelay"/>, with jitter), running
/// <c>onConnected</c> (such as re-subscribing) before the new connection is handed out.
/// </summary>
internal sealed class ConnectionManager : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly RedisClientOptions _options;
    private readonly bool _isSubscriber;
    private readonly RedisInstrumentation? _instrumentation;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Func<RedisConnection, CancellationToken, Task>? _onConnected;
    private readonly PushHandler? _onPush;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _timeoutSweep;
    private readonly long _timeoutTicks;
    private volatile RedisConnection? _current;
    private Task<RedisConnection>? _connecting;
    private Exception? _lastError;

    public ConnectionManager(
        RedisClientOptions options,
        bool isSubscriber,
        RedisInstrumentation? instrumentation,
        ILogger logger,
        TimeProvider timeProvider,
        PushHandler? onPush = null,
        Func<RedisConnection, CancellationToken, Task>? onConnected = null)
    {
        _options = options;
        _isSubscriber = isSubscriber;
        _instrumentation = instrumentation;
        _logger = logger;
        _timeProvider = timeProvider;
        _onPush = onPush;
        _onConnected = onConnected;
        Endpoint = $"{options.Host}:{options.Port}";
        _timeoutTicks = (long)(options.CommandTimeout.TotalSeconds * timeProvider.TimestampFrequency);
        var sweep = TimeSpan.FromMilliseconds(Math.Clamp(options.CommandTimeout.TotalMilliseconds / 10, 10, 250));
        _timeoutSweep = timeProvider.CreateTimer(static state => ((ConnectionManager)state!).SweepTimeouts(), this, sweep, sweep);
    }

    public string Endpoint { get; }

    /// <summary>The open connection, or null while (re)connecting.</summary>
    public RedisConnection? Current => _current is { IsOpen: true } current ? current : null;

    /// <summary>The deadline for a command sent now.</summary>
    public long NewDeadline() => _timeProvider.GetTimestamp() + _timeoutTicks;

    /// <summary>The open connection, waiting up to the command timeout for a (re)connect.</summary>
    public async ValueTask<RedisConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (Current is { } current)
        {
            return current;
        }

        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        Task<RedisConnection> connecting;
        lock (_gate)
        {
            if (Current is { } open)
            {
                return open;
            }

            connecting = _connecting ??= ConnectLoopAsync(reconnect: false);
        }

        try
        {
            return await connecting.WaitAsync(_options.CommandTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RedisConnectionException(
                $"No connection to Redis at {Endpoint} within {_options.CommandTimeout.TotalMilliseconds:0} ms: {_lastError?.Message ?? "still connecting"}",
                _lastError);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        await _timeoutSweep.DisposeAsync().ConfigureAwait(false);
        Task<RedisConnection>? connecting;
        lock (_gate)
        {
            connecting = _connecting;
        }

        if (connecting is not null)
        {
            try
            {
                await connecting.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RedisException)
            {
                // Connecting stopped because we are disposing.
            }
        }

        if (_current is { } current)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        _disposed.Dispose();
    }

    private async Task<RedisConnection> ConnectLoopAsync(bool reconnect)
    {
        await Task.Yield();
        var attempt = 0;
        while (true)
        {
            attempt++;
            RedisConnection? connection = null;
            try
            {
                connection = await RedisConnection.ConnectAsync(_options, _isSubscriber, _instrumentation, _disposed.Token).ConfigureAwait(false);
                connection.OnPush = _onPush;
                if (_onConnected is not null)
                {
                    await _onConnected(connection, _disposed.Token).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    _current = connection;
                    _connecting = null;
                    _lastError = null;
                }

                _ = connection.Closed.ContinueWith(
                    (closed, state) => OnClosed((RedisConnection)state!, closed.Result),
                    connection,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                if (reconnect)
                {
                    _instrumentation?.Reconnected();
                    Log.Reconnected(_logger, Endpoint, attempt);
                }

                return connection;
            }
            catch (Exception e) when (!_disposed.IsCancellationRequested)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                _lastError = e;
                var delay = Backoff(attempt);
                Log.ConnectFailed(_logger, Endpoint, attempt, (long)delay.TotalMilliseconds, e);
                await Task.Delay(delay, _timeProvider, _disposed.Token).ConfigureAwait(false);
            }
        }
    }

    private void OnClosed(RedisConnection connection, Exception reason)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            if (!ReferenceEquals(_current, connection))
            {
                return;
            }

            _current = null;
            _lastError = reason;
            _connecting ??= ConnectLoopAsync(reconnect: true);
        }

        Log.ConnectionLost(_logger, Endpoint, reason.Message);
    }

    private TimeSpan Backoff(int attempt)
    {
        var baseMs = Math.Min(50 * Math.Pow(2, Math.Min(attempt - 1, 20)), _options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(baseMs * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private void SweepTimeouts() => _current?.FailExpired(_timeProvider.GetTimestamp(), _options.CommandTimeout);
}
