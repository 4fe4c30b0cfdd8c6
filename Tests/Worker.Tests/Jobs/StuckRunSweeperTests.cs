using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

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
    public async Task SweepAsync_RunAbandonedMidRun_ResumedAfterItsCompletedStepsAndCompletedOnce()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        const string task = "Research the topic. Write the answer";
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, FastSweep);
        var runId = await host.CreateRunAsync(task, ct);

        // A worker planned it, completed its first step, was running the second, then died; its job entry is gone.
        var plan = await host.CrashMidRunAsync(runId, task, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        Assert.Equal(2, run.AttemptCount);
        Assert.Equal(plan.Steps.Select(s => s.Id), run.Plan!.Steps.Select(s => s.Id));
        var steps = await host.GetStepsAsync(runId, ct);
        Assert.Equal(plan.Steps.Count, steps.Count);
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Completed, s.Status));

        // The step completed before the crash was not run again: its figures are the ones it had, counted once.
        var first = Assert.Single(steps, s => s.StepKey == plan.Steps[0].Id);
        Assert.Equal((111, 222, 0.5m), (first.InputTokens, first.OutputTokens, first.Cost));
        Assert.Equal(steps.Sum(s => s.InputTokens), run.InputTokens);
        Assert.Equal(steps.Sum(s => s.Cost), run.Cost);

        var events = await host.GetEventsAsync(runId, ct);
        Assert.Single(events, e => e.Type == WorkflowEventType.Completed);
        Assert.DoesNotContain(events, e => e.Type == WorkflowEventType.StepStarted && e.Payload!.Value.GetProperty("step").GetString() == plan.Steps[0].Id);
    }
}
