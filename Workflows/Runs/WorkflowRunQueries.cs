using Microsoft.EntityFrameworkCore;
using Npgsql;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Runs;

/// <summary>Read-side queries over runs: keyset pages and a session's performance summary.</summary>
public sealed class WorkflowRunQueries(WorkflowsDbContext db, NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    /// <summary>The largest page size served.</summary>
    public const int MaxPageSize = 200;

    private const string SummarySql = """
        WITH w AS (
            SELECT status, cost,
                   CASE WHEN started_at IS NOT NULL AND completed_at IS NOT NULL
                        THEN extract(epoch FROM completed_at - started_at)::double precision END AS seconds
            FROM workflow_runs
            WHERE session_id = $1 AND created_at >= $2
        )
        SELECT count(*),
               count(*) FILTER (WHERE status = 'Completed'),
               count(*) FILTER (WHERE status IN ('Failed', 'DeadLettered')),
               CASE WHEN count(*) FILTER (WHERE status IN ('Completed', 'Failed', 'DeadLettered')) = 0 THEN 0
                    ELSE (count(*) FILTER (WHERE status IN ('Failed', 'DeadLettered')))::double precision
                         / count(*) FILTER (WHERE status IN ('Completed', 'Failed', 'DeadLettered')) END,
               avg(seconds),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds),
               max(seconds),
               coalesce(sum(cost), 0),
               avg(cost)
        FROM w
        """;

    /// <summary>
    /// A page of a session's runs, newest first, optionally of one status. Keyset pagination on (created_at, id):
    /// rows inserted while paging never shift or repeat later pages.
    /// </summary>
    public async Task<RunPage> ListAsync(string sessionId, WorkflowRunStatus? status, RunPageCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);

        var query = after is null
            ? db.Runs.Where(r => r.SessionId == sessionId)
            : db.Runs.FromSql($"SELECT *, xmin FROM workflow_runs WHERE session_id = {sessionId} AND (created_at, id) < ({after.CreatedAt}, {after.Id})");
        if (status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        var rows = await query.AsNoTracking()
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (rows.Count <= pageSize)
        {
            return new RunPage(rows, null);
        }

        rows.RemoveAt(pageSize);
        var last = rows[^1];
        return new RunPage(rows, new RunPageCursor(last.CreatedAt, last.Id));
    }

    /// <summary>The performance of a session's runs created in the last <paramref name="window"/>, computed by PostgreSQL.</summary>
    public async Task<PerformanceSummary> GetPerformanceSummaryAsync(string sessionId, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);

        await using var command = dataSource.CreateCommand(SummarySql);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = timeProvider.GetUtcNow() - window });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new PerformanceSummary(
            Runs: reader.GetInt64(0),
            Completed: reader.GetInt64(1),
            Failed: reader.GetInt64(2),
            ErrorRate: reader.GetDouble(3),
            AverageDurationSeconds: reader.IsDBNull(4) ? null : reader.GetDouble(4),
            P95DurationSeconds: reader.IsDBNull(5) ? null : reader.GetDouble(5),
            MaxDurationSeconds: reader.IsDBNull(6) ? null : reader.GetDouble(6),
            TotalCost: reader.GetDecimal(7),
            AverageCost: reader.IsDBNull(8) ? null : reader.GetDecimal(8));
    }
}
