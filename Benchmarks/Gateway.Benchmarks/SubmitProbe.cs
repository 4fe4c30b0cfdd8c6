using Npgsql;
using Observability.TestInfrastructure.Redis;

namespace Observability.Gateway.Benchmarks;

/// <summary>Reads what the submits left behind: runs in PostgreSQL, unsent outbox rows, and the jobs stream's length.</summary>
internal sealed class SubmitProbe(NpgsqlDataSource database, RedisServer redis)
{
    private const string JobsStream = "workflows.jobs";

    public Task<long> RunsAsync(CancellationToken cancellationToken) => CountAsync("SELECT count(*) FROM workflow_runs", cancellationToken);

    public Task<long> UnsentAsync(CancellationToken cancellationToken)
        => CountAsync("SELECT count(*) FROM outbox_messages", cancellationToken);

    public async Task<long> StreamLengthAsync()
    {
        var reply = await redis.RawCommandAsync("XLEN", JobsStream).ConfigureAwait(false);
        return reply.StartsWith(':') ? long.Parse(reply.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"XLEN answered {reply}");
    }

    /// <summary>Waits until the relay has sent every outbox row; returns how long that took, or null at the deadline.</summary>
    public async Task<TimeSpan?> WaitForDrainAsync(TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < deadline)
        {
            if (await UnsentAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return started.Elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
