using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests.Persistence;

[Trait("Category", "Integration")]
public sealed class WorkflowsMigrationTests(PostgresServerFixture postgres)
{
    private const string LegacyRunId = "0193a1b2-0000-7000-8000-000000000001";
    private const string LegacyTraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string PublishedRunId = "0193a1b2-0000-7000-8000-000000000002";

    [Fact]
    public async Task StartAsync_EmptyDatabase_AppliesEveryMigrationOnce()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        var (applied, pending, all) = await host.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync(timeout.Token)).ToList(),
            (await db.Database.GetPendingMigrationsAsync(timeout.Token)).ToList(),
            db.Database.GetMigrations().ToList()));

        Assert.Equal(all, applied);
        Assert.Empty(pending);
        Assert.Equal(4, all.Count);
        Assert.Equal((long)all.Count, await host.ScalarAsync("SELECT count(*) FROM \"__EFMigrationsHistory\"", timeout.Token));
        Assert.Null(await host.ScalarAsync("SELECT to_regclass('schema_migrations')::text", timeout.Token));
    }

    [Fact]
    public async Task StartAsync_EmptyDatabase_RunStatusIsInNoIndex()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        // A run's status changes (Running, then its end) stay HOT updates only while no index holds the column.
        var indexesWithStatus = await host.ScalarAsync(
            """
            SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = 'workflow_runs'::regclass AND a.attname = 'status'
            """,
            timeout.Token);

        Assert.Equal(0L, indexesWithStatus);
        Assert.Equal("ix_workflow_runs_session_keyset", await host.ScalarAsync("SELECT to_regclass('ix_workflow_runs_session_keyset')::text", timeout.Token));
    }

    [Fact]
    public async Task Model_MatchesTheLastMigration()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: false, timeout.Token);

        Assert.False(await host.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges())), "dotnet ef migrations add is needed");
    }

    [Fact]
    public async Task StartAsync_LegacyDatabaseWithRows_CarriesOverKeepingEveryRow()
    {
        using var timeout = TestTimeout.Start();
        var connectionString = await postgres.CreateDatabaseAsync(timeout.Token);
        await LegacyDatabase.CreateAsync(connectionString, upToVersion: 2, timeout.Token);
        await using var host = WorkflowsTestHost.CreateUnstarted(connectionString);
        await host.ScalarAsync(
            $$"""
            INSERT INTO workflow_runs (id, session_id, task, status, idempotency_key, request_hash, trace_id, created_at, started_at, attempt_count, plan, cost)
            VALUES ('{{LegacyRunId}}', 'session-1', 'summarise the report', 'Running', 'key-1', 'hash-1', '0af7651916cd43dd8448eb211c80319c',
                    '2026-11-21T10:00:00Z', '2026-11-21T10:00:01Z', 1, '{"steps":[]}', 0.125);
            INSERT INTO workflow_steps (run_id, step_key, agent, status, input_tokens) VALUES ('{{LegacyRunId}}', 'research', 'researcher', 'Completed', 42);
            INSERT INTO alerts (id, run_id, kind, threshold, observed_value, created_at)
            VALUES (gen_random_uuid(), '{{LegacyRunId}}', 'CostPerWorkflow', 0.1, 0.125, '2026-11-21T10:00:02Z');
            INSERT INTO outbox_messages (id, stream, payload, traceparent, created_at)
            VALUES (gen_random_uuid(), 'workflows.jobs', '{"runId":"{{LegacyRunId}}"}', '{{LegacyTraceParent}}', '2026-11-21T10:00:00Z');
            INSERT INTO outbox_messages (id, stream, payload, created_at, sent_at, attempts)
            VALUES (gen_random_uuid(), 'workflows.jobs', '{"runId":"{{PublishedRunId}}"}', '2026-11-21T09:00:00Z', '2026-11-21T09:00:01Z', 1);
            """,
            timeout.Token);

        await host.StartAsync(timeout.Token);

        var run = await host.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(LegacyRunId), timeout.Token));
        Assert.Equal(("session-1", "summarise the report", WorkflowRunStatus.Running, "key-1", 0.125m, 1), (run.SessionId, run.Task, run.Status, run.IdempotencyKey, run.Cost, run.AttemptCount));
        // The run's trace context is carried over from the job its submit queued.
        Assert.Equal(LegacyTraceParent, run.TraceParent);
        Assert.Equal(42L, await host.ScalarAsync($"SELECT input_tokens FROM workflow_steps WHERE run_id = '{LegacyRunId}'", timeout.Token));
        Assert.Equal(1L, await host.ScalarAsync($"SELECT count(*) FROM alerts WHERE run_id = '{LegacyRunId}'", timeout.Token));
        // The job not yet published stays to be published; the one published before is gone, not published again.
        Assert.Equal($"{{\"runId\": \"{LegacyRunId}\"}}", await host.ScalarAsync("SELECT string_agg(payload::text, ',') FROM outbox_messages", timeout.Token));
        Assert.Empty(await host.WithDbAsync(async db => await db.Database.GetPendingMigrationsAsync(timeout.Token)));
        Assert.Equal(2L, await host.ScalarAsync("SELECT count(*) FROM schema_migrations", timeout.Token));

        // The carried-over run goes on under the new code: a worker takes it over and reads its context.
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var execution = await store.TryStartAsync(run.Id, takeOver: true, timeout.Token);
        Assert.NotNull(execution);
        Assert.Equal((2, LegacyTraceParent), (execution.Attempt, execution.TraceParent));
        Assert.Equal((LegacyTraceParent, (string?)null), await store.GetTraceContextAsync(run.Id, timeout.Token));
    }

    [Fact]
    public async Task StartAsync_LegacyDatabase_EndsWithTheSchemaOfAFreshOne()
    {
        using var timeout = TestTimeout.Start();
        var legacy = await postgres.CreateDatabaseAsync(timeout.Token);
        await LegacyDatabase.CreateAsync(legacy, upToVersion: 2, timeout.Token);
        await using var upgraded = await WorkflowsTestHost.CreateForAsync(legacy, start: true, timeout.Token);
        await using var fresh = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        var expected = await SchemaCatalog.ReadAsync(fresh.ConnectionString, timeout.Token);
        var actual = await SchemaCatalog.ReadAsync(legacy, timeout.Token);

        Assert.Contains("column workflow_runs.traceparent text", expected);
        Assert.Contains(expected, line => line.StartsWith("index CREATE INDEX ix_workflow_runs_session_keyset", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task StartAsync_LegacyDatabaseAtVersionOne_RefusesNamingTheVersions()
    {
        using var timeout = TestTimeout.Start();
        var connectionString = await postgres.CreateDatabaseAsync(timeout.Token);
        await LegacyDatabase.CreateAsync(connectionString, upToVersion: 1, timeout.Token);
        await using var host = WorkflowsTestHost.CreateUnstarted(connectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("schema version(s) [1]", error.Message, StringComparison.Ordinal);
        Assert.Null(await host.ScalarAsync("SELECT to_regclass('\"__EFMigrationsHistory\"')::text", timeout.Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_ThreeInstancesAtOnce_EachMigrationAppliedOnce(bool legacy)
    {
        using var timeout = TestTimeout.Start();
        var connectionString = await postgres.CreateDatabaseAsync(timeout.Token);
        if (legacy)
        {
            await LegacyDatabase.CreateAsync(connectionString, upToVersion: 2, timeout.Token);
        }

        // A gateway and two workers starting together, each with a pool of its own.
        var hosts = Enumerable.Range(0, 3).Select(i => WorkflowsTestHost.CreateUnstarted(connectionString + $";Application Name=instance-{i}")).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => Task.Run(() => h.StartAsync(timeout.Token), timeout.Token)));

            var migrations = await hosts[0].WithDbAsync(db => Task.FromResult((long)db.Database.GetMigrations().Count()));
            Assert.Equal(migrations, await hosts[0].ScalarAsync("SELECT count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\"", timeout.Token));
            Assert.Equal(migrations, await hosts[0].ScalarAsync("SELECT count(*) FROM \"__EFMigrationsHistory\"", timeout.Token));
            Assert.Equal(1L, await hosts[0].ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'workflow_runs' AND column_name = 'traceparent'", timeout.Token));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
