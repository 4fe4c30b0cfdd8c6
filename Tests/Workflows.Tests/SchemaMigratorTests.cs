using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Migrations;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class SchemaMigratorTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryVersionOnce()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: false, timeout.Token);

        var applied = await host.Migrator.MigrateAsync(cancellationToken: timeout.Token);
        var again = await host.Migrator.MigrateAsync(cancellationToken: timeout.Token);

        Assert.Equal([1, 2], applied);
        Assert.Empty(again);
        Assert.Equal(2L, await host.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE length(checksum) = 64", timeout.Token));
        Assert.Equal("0002_alerts_and_keyset_indexes", await host.ScalarAsync("SELECT name FROM schema_migrations WHERE version = 2", timeout.Token));
        foreach (var table in (string[])["workflow_runs", "workflow_steps", "outbox_messages", "alerts"])
        {
            Assert.Equal(table, await host.ScalarAsync($"SELECT to_regclass('{table}')::text", timeout.Token));
        }
    }

    [Fact]
    public async Task StartAsync_Host_AppliesMigrationsBeforeServing()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        Assert.Equal(2, await host.ScalarAsync("SELECT max(version) FROM schema_migrations", timeout.Token));
    }

    [Fact]
    public async Task MigrateAsync_FromPreviousVersionWithData_KeepsDataAndUpgrades()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: false, timeout.Token);
        Assert.Equal([1], await host.Migrator.MigrateAsync(1, timeout.Token));
        Assert.Null(await host.ScalarAsync("SELECT to_regclass('alerts')::text", timeout.Token));
        await host.ScalarAsync(
            """
            INSERT INTO workflow_runs (id, session_id, task, status, created_at, cost)
            VALUES ('0193a1b2-0000-7000-8000-000000000001', 'session-1', 'summarise the report', 'Completed', '2026-11-21T10:00:00Z', 0.125)
            """,
            timeout.Token);

        var applied = await host.Migrator.MigrateAsync(cancellationToken: timeout.Token);

        Assert.Equal([2], applied);
        Assert.Equal("summarise the report", await host.ScalarAsync("SELECT task FROM workflow_runs WHERE session_id = 'session-1'", timeout.Token));
        Assert.Equal(0.125m, await host.ScalarAsync("SELECT cost FROM workflow_runs WHERE session_id = 'session-1'", timeout.Token));
        Assert.Equal("ix_workflow_runs_session_keyset", await host.ScalarAsync("SELECT to_regclass('ix_workflow_runs_session_keyset')::text", timeout.Token));
        Assert.Null(await host.ScalarAsync("SELECT to_regclass('ix_workflow_runs_session_created')::text", timeout.Token));
        await host.ScalarAsync(
            "INSERT INTO alerts (id, run_id, kind, threshold, observed_value, created_at) VALUES (gen_random_uuid(), '0193a1b2-0000-7000-8000-000000000001', 'CostPerWorkflow', 0.1, 0.125, now())",
            timeout.Token);
        Assert.Equal(1L, await host.ScalarAsync("SELECT count(*) FROM alerts", timeout.Token));
    }

    [Fact]
    public async Task MigrateAsync_TwoInstancesTogether_OneAppliesTheOtherWaitsAndFindsNothing()
    {
        using var timeout = TestTimeout.Start();
        await using var first = await WorkflowsTestHost.CreateAsync(postgres, start: false, timeout.Token);
        await using var second = await WorkflowsTestHost.CreateForAsync(first.ConnectionString, start: false, timeout.Token);

        // Hold the migrators' advisory lock so both must queue behind it, then let them race for it.
        await using var holder = new NpgsqlConnection(first.ConnectionString);
        await holder.OpenAsync(timeout.Token);
        const long lockKey = SchemaMigrator.AdvisoryLockKey;
        await ExecuteScalarAsync(holder, $"SELECT pg_advisory_lock({lockKey})", timeout.Token);
        var firstRun = first.Migrator.MigrateAsync(cancellationToken: timeout.Token);
        var secondRun = second.Migrator.MigrateAsync(cancellationToken: timeout.Token);
        await WaitForAdvisoryWaitersAsync(first, 2, timeout.Token);
        Assert.False(firstRun.IsCompleted);
        Assert.False(secondRun.IsCompleted);
        await ExecuteScalarAsync(holder, $"SELECT pg_advisory_unlock({lockKey})", timeout.Token);

        var results = await Task.WhenAll(firstRun, secondRun);

        Assert.Single(results, r => r.SequenceEqual([1, 2]));
        Assert.Single(results, r => r.Count == 0);
        Assert.Equal(2L, await first.ScalarAsync("SELECT count(*) FROM schema_migrations", timeout.Token));
    }

    [Fact]
    public async Task MigrateAsync_AppliedScriptChecksumChanged_RefusesWithVersionAndChecksums()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: false, timeout.Token);
        await host.Migrator.MigrateAsync(1, timeout.Token);
        await host.ScalarAsync("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 1", timeout.Token);

        var error = await Assert.ThrowsAsync<SchemaMigrationException>(() => host.Migrator.MigrateAsync(cancellationToken: timeout.Token));

        Assert.Contains("Migration 1 ('0001_initial') was changed after it was applied", error.Message, StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), error.Message, StringComparison.Ordinal);
        Assert.Null(await host.ScalarAsync("SELECT to_regclass('alerts')::text", timeout.Token));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanBuild_Refuses()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: false, timeout.Token);
        await host.Migrator.MigrateAsync(cancellationToken: timeout.Token);
        await host.ScalarAsync("INSERT INTO schema_migrations VALUES (99, '0099_future', repeat('a', 64), now())", timeout.Token);

        var error = await Assert.ThrowsAsync<SchemaMigrationException>(() => host.Migrator.MigrateAsync(cancellationToken: timeout.Token));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForAdvisoryWaitersAsync(WorkflowsTestHost host, long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var waiting = await host.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", cancellationToken);
            if (waiting is long n && n >= count)
            {
                return;
            }

            await Task.Yield();
        }
    }

    private static async Task<object?> ExecuteScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
