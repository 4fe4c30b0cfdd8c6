using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

/// <summary>
/// The hot path's prepared statements are planned once per connection (<c>plan_cache_mode=force_generic_plan</c> on
/// the data source <c>AddWorkflowsDatabase</c> registers), never re-planned per execution.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunExecutionPlanCacheTests(PostgresServerFixture postgres)
{
    private static readonly WorkflowPlan Plan = new(
    [
        new PlannedStep("research", "Find three sources", [], "researcher", "Needs web search"),
        new PlannedStep("write", "Write the summary", ["research"], "writer", "Best at prose"),
    ]);

    /// <summary>Generic plans by default; an <c>Options</c> value in the connection string comes after ours and wins.</summary>
    [Theory]
    [InlineData(null, "force_generic_plan")]
    [InlineData("-c plan_cache_mode=force_custom_plan", "force_custom_plan")]
    public async Task DataSource_Connections_PlanCacheModeIsGenericUnlessTheConnectionStringSaysOtherwise(string? options, string expected)
    {
        using var timeout = TestTimeout.Start();
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync(timeout.Token)) { Options = options }.ConnectionString;
        await using var host = await WorkflowsTestHost.CreateForAsync(connectionString, start: true, timeout.Token);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        await using var command = dataSource.CreateCommand("SHOW plan_cache_mode");

        Assert.Equal(expected, await command.ExecuteScalarAsync(timeout.Token));
    }

    [Fact]
    public async Task CompleteStepAsync_ManyRunsOnOneConnection_IsPlannedOnceNeverPerExecution()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var store = host.Services.GetRequiredService<RunExecutionStore>();

        // One call at a time, so the pool hands out the same connection (and its prepared statements) every time;
        // PostgreSQL's default would make custom plans for at least the first five executions of the prepared statement.
        const int Runs = 8;
        for (var i = 0; i < Runs; i++)
        {
            var created = await host.WithStoreAsync(s => s.CreateAsync(new CreateRunRequest("session-1", $"task {i}"), timeout.Token));
            var run = await store.TryStartAsync(created.Run.Id, takeOver: false, timeout.Token);
            Assert.NotNull(run);
            Assert.True(await store.TryRecordPlanAsync(run, Plan, 1.0, 10, 20, 0.1m, ["research"], timeout.Token));
            var first = await store.CompleteStepAsync(run, "research", 1, 2, 0.01m, ["write"], finishRun: false, timeout.Token);
            Assert.Equal(["write"], first?.Started);
            var last = await store.CompleteStepAsync(run, "write", 3, 4, 0.02m, [], finishRun: true, timeout.Token);
            Assert.Equal((WorkflowRunStatus.Completed, 14L, 26L), (last?.Finish?.Status, last?.Finish?.InputTokens, last?.Finish?.OutputTokens));
        }

        await using var command = dataSource.CreateCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%WITH done AS%started AS%'");
        await using var reader = await command.ExecuteReaderAsync(timeout.Token);
        Assert.True(await reader.ReadAsync(timeout.Token), "The step completion was not prepared on the connection the data source hands out.");
        var (generic, custom) = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.False(await reader.ReadAsync(timeout.Token), "More than one prepared step completion on one connection.");

        // Prepared at its first or second use (Auto Prepare Min Usages), then every execution ran the one generic plan.
        Assert.Equal(0, custom);
        Assert.InRange(generic, 2L * Runs - 1, 2L * Runs);
    }
}
