using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Alerts;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class PlanAndStepTests(PostgresServerFixture postgres)
{
    private static readonly WorkflowPlan Plan = new(
    [
        new PlannedStep("research", "Find three sources", [], "researcher", "Needs web search"),
        new PlannedStep("write", "Write the summary", ["research"], "writer", "Best at prose"),
    ]);

    [Fact]
    public async Task RecordPlanAsync_RunningRun_StoresPlanAsJsonbAndPendingSteps()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runId = await StartedRunAsync(host, timeout.Token);

        var result = await host.WithStoreAsync(store => store.RecordPlanAsync(runId, Plan, 0.875, timeout.Token));

        Assert.True(result.Applied);
        var run = await host.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(timeout.Token));
        Assert.Equal(0.875, run.QualityScore);
        Assert.Equal(Plan.Steps, run.Plan!.Steps, (a, b) => a.Id == b.Id && a.Agent == b.Agent && a.Explanation == b.Explanation && a.DependsOn.SequenceEqual(b.DependsOn));
        Assert.Equal("research", await host.ScalarAsync("SELECT plan->'steps'->1->'dependsOn'->>0 FROM workflow_runs", timeout.Token));
        var steps = await host.WithStepsAsync(s => s.ListAsync(runId, timeout.Token));
        Assert.Equal(["research", "write"], steps.Select(s => s.StepKey));
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Pending, s.Status));
        Assert.Equal("Best at prose", steps[1].Explanation);
        Assert.Equal(TransitionOutcome.Rejected, (await host.WithStoreAsync(store => store.RecordPlanAsync(runId, Plan, 0.5, timeout.Token))).Outcome);
    }

    [Fact]
    public async Task SaveChangesAsync_RowChangedSinceRead_ThrowsConcurrencyException()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runId = await StartedRunAsync(host, timeout.Token);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        var stale = await db.Runs.SingleAsync(r => r.Id == runId, timeout.Token);

        Assert.True((await host.WithStoreAsync(store => store.CancelAsync(runId, timeout.Token))).Applied);
        stale.QualityScore = 0.9;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync(timeout.Token));
    }

    [Fact]
    public async Task CancelAsync_RunWithRunningAndPendingSteps_SkipsThemAndLaterStepUpdatesDoNotApply()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runId = await StartedRunAsync(host, timeout.Token);
        await host.WithStoreAsync(store => store.RecordPlanAsync(runId, Plan, 0.8, timeout.Token));
        Assert.True(await host.WithStepsAsync(s => s.TryStartAsync(runId, "research", timeout.Token)));

        Assert.True((await host.WithStoreAsync(store => store.CancelAsync(runId, timeout.Token))).Applied);
        var completedLate = await host.WithStepsAsync(s => s.CompleteAsync(runId, "research", 10, 5, 0.001m, timeout.Token));

        var steps = await host.WithStepsAsync(s => s.ListAsync(runId, timeout.Token));
        Assert.False(completedLate);
        Assert.All(steps, step => Assert.Equal((WorkflowStepStatus.Skipped, WorkflowRunStore.CancelledStepError), (step.Status, step.Error)));
        Assert.All(steps, step => Assert.NotNull(step.CompletedAt));
        Assert.Equal(TransitionOutcome.Rejected, (await host.WithStoreAsync(store => store.CancelAsync(runId, timeout.Token))).Outcome);
    }

    [Fact]
    public async Task StepTransitions_StartCompleteFail_AreCompareAndSetAndRollUpToTheRun()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runId = await StartedRunAsync(host, timeout.Token);
        await host.WithStoreAsync(store => store.RecordPlanAsync(runId, Plan, 0.8, timeout.Token));

        Assert.False(await host.WithStepsAsync(s => s.CompleteAsync(runId, "research", 1, 1, 1m, timeout.Token)));
        Assert.True(await host.WithStepsAsync(s => s.TryStartAsync(runId, "research", timeout.Token)));
        Assert.False(await host.WithStepsAsync(s => s.TryStartAsync(runId, "research", timeout.Token)));
        host.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await host.WithStepsAsync(s => s.CompleteAsync(runId, "research", 100, 50, 0.012m, timeout.Token)));
        Assert.True(await host.WithStepsAsync(s => s.TryStartAsync(runId, "write", timeout.Token)));
        Assert.True(await host.WithStepsAsync(s => s.FailAsync(runId, "write", "model timed out", timeout.Token)));
        Assert.False(await host.WithStepsAsync(s => s.SkipAsync(runId, "write", timeout.Token)));

        var steps = await host.WithStepsAsync(s => s.ListAsync(runId, timeout.Token));
        Assert.Equal((WorkflowStepStatus.Completed, 100L, 50L, 0.012m), (steps[0].Status, steps[0].InputTokens, steps[0].OutputTokens, steps[0].Cost));
        Assert.Equal(TimeSpan.FromSeconds(3), steps[0].CompletedAt - steps[0].StartedAt);
        Assert.Equal((WorkflowStepStatus.Failed, "model timed out"), (steps[1].Status, steps[1].Error));
        var run = await host.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(timeout.Token));
        Assert.Equal((100L, 50L, 0.012m), (run.InputTokens, run.OutputTokens, run.Cost));
    }

    [Fact]
    public async Task AlertStore_RecordedAlerts_ListNewestFirst()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runId = await StartedRunAsync(host, timeout.Token);
        await using var scope = host.Services.CreateAsyncScope();
        var alerts = scope.ServiceProvider.GetRequiredService<AlertStore>();

        await alerts.RecordAsync(runId, AlertKind.CostPerWorkflow, 0.5, 0.75, timeout.Token);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await alerts.RecordAsync(null, AlertKind.ErrorRate, 0.1, 0.25, timeout.Token);
        var recent = await alerts.ListRecentAsync(10, timeout.Token);

        Assert.Equal([AlertKind.ErrorRate, AlertKind.CostPerWorkflow], recent.Select(a => a.Kind));
        Assert.Equal((runId, 0.5, 0.75), (recent[1].RunId!.Value, recent[1].Threshold, recent[1].ObservedValue));
        Assert.Equal("ErrorRate", await host.ScalarAsync("SELECT kind FROM alerts WHERE run_id IS NULL", timeout.Token));
    }

    private static async Task<Guid> StartedRunAsync(WorkflowsTestHost host, CancellationToken cancellationToken)
    {
        var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "summarise"), cancellationToken))).Run;
        Assert.True(await host.WithStoreAsync(store => store.TryStartAsync(run.Id, cancellationToken)));
        return run.Id;
    }
}
