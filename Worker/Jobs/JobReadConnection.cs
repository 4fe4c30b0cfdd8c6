using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// The job consumer's own Redis connection, on which it sends <c>XREADGROUP … BLOCK</c>: a blocking read holds its
/// connection until entries arrive, so it cannot go on the multiplexer every other command shares. Configured exactly
/// as Aspire's multiplexer for <c>ConnectionStrings:cache</c> (its <see cref="ConfigurationOptions"/>, cloned: TLS, ACL
/// user and password, <c>AbortOnConnectFail=false</c>), with two differences: no configuration channel (so no second,
/// subscription socket), and an async timeout of <c>PollInterval</c> (the longest a read blocks) plus the configured
/// one. A health check tagged <c>ready</c> (<see cref="HealthCheckName"/>): unhealthy while this connection is down,
/// since the worker takes no job then. No command of it is traced (they would all be parentless).
/// </summary>
internal sealed class JobReadConnection(IOptionsMonitor<ConfigurationOptions> redisOptions, IOptions<JobConsumerOptions> options) : IHealthCheck, IAsyncDisposable
{
    /// <summary>The name of this connection's health check.</summary>
    public const string HealthCheckName = "StackExchange.Redis (job reads)";

    private readonly JobConsumerOptions _options = options.Value;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private volatile ConnectionMultiplexer? _connection;
    private volatile bool _closed;

    /// <summary>
    /// <c>XREADGROUP GROUP workers {ConsumerName} COUNT {count} BLOCK {PollInterval} STREAMS workflows.jobs &gt;</c>:
    /// the new entries, at most <paramref name="count"/>, as soon as there are any; none when <c>PollInterval</c>
    /// passed without one. A read abandoned through <paramref name="cancellationToken"/> may still be answered by
    /// Redis: what it delivered stays pending for this consumer and is claimed after <c>ClaimIdleTime</c>.
    /// </summary>
    public async Task<StreamEntry[]> ReadAsync(int count, CancellationToken cancellationToken)
    {
        var connection = _connection ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var reply = await connection.GetDatabase().ExecuteAsync(
                "XREADGROUP",
                [
                    "GROUP", WorkflowStreams.WorkersGroup, _options.ConsumerName, "COUNT", count,
                    "BLOCK", (long)_options.PollInterval.TotalMilliseconds, "STREAMS", WorkflowStreams.Jobs, ">",
                ],
                CommandFlags.None)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return ParseReply(reply);
    }

    /// <summary>
    /// The entries of an <c>XREADGROUP</c> reply for one stream: null (the block timed out), RESP2's
    /// <c>[[stream, entries]]</c> or RESP3's map <c>{stream: entries}</c> (which the client presents as
    /// <c>[stream, entries]</c>); each entry <c>[id, [field, value, …]]</c>.
    /// </summary>
    internal static StreamEntry[] ParseReply(RedisResult reply)
    {
        if (reply.IsNull || reply.Length == 0)
        {
            return [];
        }

        var entries = reply[0].Resp2Type == ResultType.Array ? reply[0][1] : reply[1];
        var parsed = new StreamEntry[entries.Length];
        for (var i = 0; i < parsed.Length; i++)
        {
            var entry = entries[i];
            var fields = entry[1];
            var values = new NameValueEntry[fields.IsNull ? 0 : fields.Length / 2];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = new NameValueEntry((RedisValue)fields[2 * j], (RedisValue)fields[(2 * j) + 1]);
            }

            parsed[i] = new StreamEntry((RedisValue)entry[0], values);
        }

        return parsed;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(_connection?.IsConnected == true
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The job consumer's Redis connection is not connected."));

    /// <summary>
    /// Closes the connection (a read still blocked on the server ends with it); later reads fail. Called by the
    /// consumer when it stops reading, and again (doing nothing) when the host disposes its services.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _closed = true;
            if (_connection is { } connection)
            {
                _connection = null;

                // Not waiting for the read in flight: it may block for PollInterval.
                await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_connection is null)
            {
                var configuration = redisOptions.Get(Options.DefaultName).Clone();
                configuration.ConfigurationChannel = string.Empty;
                configuration.AsyncTimeout = (int)Math.Min(int.MaxValue, configuration.AsyncTimeout + _options.PollInterval.TotalMilliseconds);
                _connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
