using Microsoft.EntityFrameworkCore;
using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Persistence;

namespace Observability.WebSocketHub.Tests;

/// <summary>
/// One real PostgreSQL for the test assembly with one workflow database migrated to the current schema (the hub
/// applies no migrations: the Gateway and the Worker do). Tests share it through their own run and session ids, as
/// they share Redis through their own keys.
/// </summary>
public sealed class WorkflowsDatabaseFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private NpgsqlDataSource? _dataSource;

    /// <summary>The migrated database's connection string.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The running server (to stop and restart it).</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        ConnectionString = await _server.CreateDatabaseAsync();
        await using (var context = new WorkflowsDbContext(new DbContextOptionsBuilder<WorkflowsDbContext>().UseNpgsql(ConnectionString).Options))
        {
            await context.Database.MigrateAsync();
        }

        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>
    /// Writes a run as the Gateway and the Worker leave it: <paramref name="status"/>, started <paramref name="attempt"/>
    /// times, with <paramref name="steps"/> planned steps of which the first <paramref name="completedSteps"/> completed.
    /// Its last change (the start of a running run, the end of a final one) was <paramref name="changedAgo"/> ago
    /// (default 10 s: longer than the hub's <c>EventLagTolerance</c>).
    /// </summary>
    public async Task<Guid> AddRunAsync(
        string sessionId, string status, int attempt, int steps, int completedSteps, CancellationToken cancellationToken, TimeSpan? changedAgo = null)
    {
        var runId = Guid.CreateVersion7();
        var final = status is "Completed" or "Failed" or "Cancelled" or "DeadLettered";
        var changed = DateTimeOffset.UtcNow - (changedAgo ?? TimeSpan.FromSeconds(10));
        await using var batch = _dataSource!.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO workflow_runs (id, session_id, task, status, created_at, started_at, completed_at, attempt_count)
            VALUES ($1, $2, 'a task', $3, $6 - interval '1 minute',
                    CASE WHEN $4 > 0 THEN $6 - CASE WHEN $5 THEN interval '20 seconds' ELSE interval '0 seconds' END END,
                    CASE WHEN $5 THEN $6 END, $4)
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = runId },
                new NpgsqlParameter<string> { TypedValue = sessionId },
                new NpgsqlParameter<string> { TypedValue = status },
                new NpgsqlParameter<int> { TypedValue = attempt },
                new NpgsqlParameter<bool> { TypedValue = final },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = changed },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO workflow_steps (run_id, step_key, status)
            SELECT $1, 'step-' || n, CASE WHEN n <= $3 THEN 'Completed' ELSE 'Pending' END FROM generate_series(1, $2) AS n
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = runId },
                new NpgsqlParameter<int> { TypedValue = steps },
                new NpgsqlParameter<int> { TypedValue = completedSteps },
            },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return runId;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
