using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// PostgreSQL is the truth, Redis is fast and forgetful: it can lose acknowledged job entries (a restart without its
/// data, or with the last second of an <c>appendfsync everysec</c> log missing). Every <c>ReconcileInterval</c> this
/// compares the server's <c>run_id</c> (<c>INFO server</c>, read by a script) with the one recorded after the last reconciliation
/// (<see cref="WorkflowStreams.ReconciledServer"/>, kept in that same Redis, so a server that lost its data lost the
/// record too); the consumer's NOGROUP (the stream or group vanished) asks for a check at once. On a difference:
/// <list type="number">
/// <item>every run Queued in PostgreSQL gets a new job entry at once (it covers the jobs whose XADD Redis acknowledged and
/// lost after their outbox rows were deleted);</item>
/// <item>after one <c>MaintenanceInterval</c> (every live worker has then marked the runs it executes, see
/// <see cref="WorkflowStreams.RunOwner"/>), every run Running since before the loss without an owner mark is set back
/// to Queued (compare-and-set on its start time) and gets a new job entry;</item>
/// <item>the server's <c>run_id</c> is recorded.</item>
/// </list>
/// A server without a record whose jobs stream still has the workers' group lost nothing (the record was never written:
/// first start, or an upgrade from a version without it): its <c>run_id</c> is recorded without a pass, unless the
/// consumer signalled NOGROUP or this process saw another <c>run_id</c> before. A duplicate entry is harmless: the start compare-and-set lets one delivery start a run, and every change is fenced
/// by the run's attempt. One replica reconciles at a time: the pass holds a PostgreSQL transaction-level advisory
/// lock (PostgreSQL, not Redis, because the lock must survive exactly the Redis failure it answers; it is released
/// with the transaction, also when the replica dies). A replica that finds the lock taken checks again next interval,
/// when the record normally says the work is done.
/// </summary>
internal sealed class RedisReconciler(
    IConnectionMultiplexer redis,
    NpgsqlDataSource dataSource,
    RunRequeuer requeuer,
    RedisLossSignal lossSignal,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<RedisReconciler> logger) : BackgroundService
{
    /// <summary>The advisory lock key of the reconciliation (any constant shared by every worker replica).</summary>
    internal const long LockKey = 0x5265_6469_7352_6563; // "RedisRec"

    private const int PageSize = 200;
    private const int Parallelism = 16;

    private const string QueuedSql = """
        SELECT id, attempt_count, created_at FROM workflow_runs
        WHERE status = 'Queued' AND created_at <= $1 AND (created_at, id) > ($2, $3)
        ORDER BY created_at, id LIMIT $4
        """;

    private const string RunningSql = """
        SELECT id, attempt_count, started_at FROM workflow_runs
        WHERE status = 'Running' AND started_at < $1 AND (started_at, id) > ($2, $3)
        ORDER BY started_at, id LIMIT $4
        """;

    // The server's INFO, the recorded run_id, and whether the jobs stream has the workers' group (1 or 0), read together.
    private const string ServerScript = """
        local group = 0
        if redis.call('EXISTS', KEYS[2]) == 1 then
          for _, info in ipairs(redis.call('XINFO', 'GROUPS', KEYS[2])) do
            if info[2] == ARGV[1] then group = 1 end
          end
        end
        return { redis.call('INFO', 'server'), redis.call('GET', KEYS[1]), group }
        """;

    private readonly JobConsumerOptions _options = options.Value;

    // The last server run_id this process saw (a record missing under another run_id than this is a loss, not a first start).
    private string? _lastSeenServer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitAsync(stoppingToken).ConfigureAwait(false);
                var lost = lossSignal.TryConsume();
                if (lost)
                {
                    // The stream or group vanished: whatever the server, what it held must come back from PostgreSQL.
                    await ForgetReconciledAsync().ConfigureAwait(false);
                }

                try
                {
                    await CheckAsync(lost, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    // Redis or PostgreSQL unreachable, or anything else: the next interval tries again (a failed pass
                    // records nothing, so it is redone whole); a reconciler that stopped would stop the worker.
                    WorkerLog.ReconcileFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is being disposed.
        }
    }

    /// <summary>
    /// One check: reconciles when the server's <c>run_id</c> is not the one recorded. Returns whether it reconciled
    /// (false also when another replica holds the lock).
    /// </summary>
    public Task<bool> CheckAsync(CancellationToken cancellationToken) => CheckAsync(lossSignalled: false, cancellationToken);

    /// <inheritdoc cref="CheckAsync(CancellationToken)"/>
    /// <param name="lossSignalled">The consumer saw NOGROUP since the last check: never take a missing record for a first start.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public async Task<bool> CheckAsync(bool lossSignalled, CancellationToken cancellationToken)
    {
        var (serverRunId, recorded, hasGroup) = await ReadServerAsync(cancellationToken).ConfigureAwait(false);
        var seenBefore = _lastSeenServer;
        _lastSeenServer = serverRunId ?? _lastSeenServer;
        if (serverRunId is null || serverRunId == recorded)
        {
            return false;
        }

        if (recorded is null && hasGroup && !lossSignalled && (seenBefore is null || seenBefore == serverRunId))
        {
            // Never recorded, and the group (created with the stream, lost with it) is there: nothing was lost.
            await redis.GetDatabase().StringSetAsync(WorkflowStreams.ReconciledServer, serverRunId).WaitAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
                    if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                    {
                        return false;
                    }
                }

                // Another replica may have finished the pass between the first read and the lock.
                (serverRunId, recorded, _) = await ReadServerAsync(cancellationToken).ConfigureAwait(false);
                if (serverRunId is null || serverRunId == recorded)
                {
                    return false;
                }

                await ReconcileAsync(serverRunId, recorded, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    private async Task ReconcileAsync(string serverRunId, string? recorded, CancellationToken cancellationToken)
    {
        WorkerLog.RedisDataLost(logger, recorded is null ? $"server {serverRunId} holds no reconciliation record" : $"server run_id {recorded} became {serverRunId}");
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.reconcile", ActivityKind.Internal, default(ActivityContext));
        activity?.SetTag("db.system.name", "redis");
        var lostAt = timeProvider.GetUtcNow();
        var queued = await RequeueAsync(QueuedSql, lostAt, release: false, cancellationToken).ConfigureAwait(false);

        // Live workers mark the runs they execute every MaintenanceInterval: wait one (and a margin) so that only runs
        // whose executor is gone remain unmarked.
        await Task.Delay(_options.MaintenanceInterval + TimeSpan.FromSeconds(1), timeProvider, cancellationToken).ConfigureAwait(false);
        var orphaned = await RequeueAsync(RunningSql, lostAt, release: true, cancellationToken).ConfigureAwait(false);

        await redis.GetDatabase().StringSetAsync(WorkflowStreams.ReconciledServer, serverRunId).WaitAsync(cancellationToken).ConfigureAwait(false);
        activity?.SetTag("workflow.reconcile.queued_runs", queued);
        activity?.SetTag("workflow.reconcile.orphaned_runs", orphaned);
        WorkerLog.Reconciled(logger, serverRunId, queued, orphaned);
    }

    /// <summary>
    /// Re-enqueues every run the query returns, page by page (keyset on its time and id); with
    /// <paramref name="release"/>, only runs without an owner mark, each first set back to Queued.
    /// </summary>
    private async Task<int> RequeueAsync(string sql, DateTimeOffset before, bool release, CancellationToken cancellationToken)
    {
        var count = 0;
        var after = (At: DateTimeOffset.MinValue, Id: Guid.Empty);
        while (true)
        {
            var page = await PageAsync(sql, before, after, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return count;
            }

            after = (page[^1].At, page[^1].Id);
            var candidates = page;
            if (release)
            {
                var database = redis.GetDatabase();
                var owned = await Task.WhenAll(page.Select(run => database.KeyExistsAsync(WorkflowStreams.RunOwner(run.Id)))).WaitAsync(cancellationToken).ConfigureAwait(false);
                candidates = page.Where((_, i) => !owned[i]).ToList();
            }

            foreach (var chunk in candidates.Chunk(Parallelism))
            {
                var done = await Task.WhenAll(chunk.Select(run => RequeueOneAsync(run, release, cancellationToken))).ConfigureAwait(false);
                count += done.Count(requeued => requeued);
            }

            if (page.Count < PageSize)
            {
                return count;
            }
        }
    }

    private async Task<bool> RequeueOneAsync(RunRow run, bool release, CancellationToken cancellationToken)
    {
        if (release && !await requeuer.ReleaseAsync(run.Id, run.At, cancellationToken).ConfigureAwait(false))
        {
            // Finished, cancelled or restarted meanwhile.
            return false;
        }

        await requeuer.EnqueueAsync(run.Id, run.Attempt + 1, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<List<RunRow>> PageAsync(string sql, DateTimeOffset before, (DateTimeOffset At, Guid Id) after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = after.At });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = after.Id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
        var rows = new List<RunRow>(PageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new RunRow(reader.GetGuid(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return rows;
    }

    /// <summary>
    /// The server's <c>run_id</c> (null when INFO does not say), the one recorded at the last reconciliation, and whether
    /// the jobs stream has the workers' group.
    /// </summary>
    private async Task<(string? ServerRunId, string? Recorded, bool HasGroup)> ReadServerAsync(CancellationToken cancellationToken)
    {
        // INFO from a script: the client refuses INFO itself unless its connection allows admin commands.
        var reply = await redis.GetDatabase()
            .ScriptEvaluateAsync(ServerScript, [WorkflowStreams.ReconciledServer, WorkflowStreams.Jobs], [WorkflowStreams.WorkersGroup])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])reply!;
        return (ParseRunId((string?)parts[0]), (string?)parts[1], (long)parts[2] == 1);
    }

    /// <summary>The <c>run_id</c> line of an <c>INFO server</c> reply.</summary>
    internal static string? ParseRunId(string? info)
    {
        foreach (var line in (info ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("run_id:", StringComparison.Ordinal))
            {
                return line["run_id:".Length..].Trim();
            }
        }

        return null;
    }

    private async Task ForgetReconciledAsync()
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(WorkflowStreams.ReconciledServer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            WorkerLog.ReconcileFailed(logger, e);
        }
    }

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var interval = new CancellationTokenSource(_options.ReconcileInterval, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(interval.Token, stoppingToken);
        try
        {
            await lossSignal.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The interval passed.
        }
    }

    private readonly record struct RunRow(Guid Id, int Attempt, DateTimeOffset At);
}
