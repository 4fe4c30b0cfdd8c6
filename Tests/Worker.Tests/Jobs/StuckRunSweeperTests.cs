using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Engine;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Jobs;

[Trait("Category", "Integration")]
public sealed class StuckRunSweeperTests(PostgresServerFixture postgres)
{
    private static readonly Dictionary<string, string?> FastSweep = new()
    {
        ["Workflows:Worker:StuckRunTimeout"] = "00:00:01",
        ["Workflows:Worker:SweepInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task SweepAsync_RunningRunWithoutJob_RequeuedAndCompleted()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, FastSweep);
        var runId = await host.CreateRunAsync("Research the topic. Write the answer", ct);

        // A worker started it, then died before planning; its job entry is gone.
        Assert.True(await host.WithRunStoreAsync(store => store.TryStartAsync(runId, ct)));
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        Assert.Equal(2, run.AttemptCount);
    }

    [Fact]
    public async Task SweepAsync_RunAbandonedAfterPlanning_DeadLetteredWithReason()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, FastSweep);
        var runId = await host.CreateRunAsync("Research the topic. Write the answer", ct);
        Assert.True(await host.WithRunStoreAsync(store => store.TryStartAsync(runId, ct)));
        var plan = AgentRouter.Route(WorkflowPlanner.Derive("Research the topic. Write the answer"), null);
        Assert.True((await host.WithRunStoreAsync(store => store.RecordPlanAsync(runId, plan, 1.0, ct))).Applied);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.DeadLettered, ct);
        Assert.Contains("Abandoned while running", run.DeadLetterReason, StringComparison.Ordinal);
    }
}
