using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Tests.Jobs;
using Observability.Workflows.Alerts;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Monitoring;

[Trait("Category", "Integration")]
public sealed class PerformanceMonitorTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task CheckWorkflowAsync_CostOverThreshold_RecordsAlertAndPublishesEvent()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Thresholds:CostPerWorkflow"] = "0.0000001",
        });
        var runId = await host.CreateRunAsync("Research the options. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);

        // The run is stored Completed before the thresholds are checked; the job is acknowledged after.
        await host.WaitForNoPendingAsync(ct);

        var alert = Assert.Single(await host.GetAlertsAsync(ct));
        Assert.Equal(AlertKind.CostPerWorkflow, alert.Kind);
        Assert.Equal(runId, alert.RunId);
        Assert.Equal(0.0000001, alert.Threshold);
        // The run's cost is stored with 6 decimals; the alert keeps the unrounded total.
        Assert.Equal((double)run.Cost, alert.ObservedValue, tolerance: 0.000001);
        var events = await host.GetEventsAsync(runId, ct);
        var alertEvent = Assert.Single(events, e => e.Type == WorkflowEventType.Alert);
        Assert.Equal("CostPerWorkflow", alertEvent.Payload!.Value.GetProperty("kind").GetString());
        Assert.Equal(alert.Id, alertEvent.Payload.Value.GetProperty("alertId").GetGuid());
        Assert.Equal(WorkflowEventType.Completed, events[^1].Type);
    }

    [Fact]
    public async Task CheckStepAsync_SlowStepsAndCalls_AlertPerStepAndCall()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Llm:Simulated:MedianLatency"] = "00:00:00.010",
            ["Llm:Simulated:P95Latency"] = "00:00:00.015",
            ["Workflows:Thresholds:StepDuration"] = "00:00:00.001",
            ["Workflows:Thresholds:LlmCallDuration"] = "00:00:00.001",
        });
        var runId = await host.CreateRunAsync("Research the options. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);

        var alerts = await host.GetAlertsAsync(ct);
        var steps = run.Plan!.Steps.Count;
        Assert.Equal(steps, alerts.Count(a => a.Kind == AlertKind.StepDuration));
        Assert.Equal(steps, alerts.Count(a => a.Kind == AlertKind.LlmCallDuration));
        Assert.All(alerts, a => Assert.True(a.ObservedValue > a.Threshold && a.RunId == runId));
        Assert.Equal(alerts.Count, (await host.GetEventsAsync(runId, ct)).Count(e => e.Type == WorkflowEventType.Alert));
    }

    [Fact]
    public async Task CheckWorkflowAsync_WithinThresholds_RecordsNoAlert()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync("Research the options. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);

        Assert.Empty(await host.GetAlertsAsync(ct));
        Assert.DoesNotContain(await host.GetEventsAsync(runId, ct), e => e.Type == WorkflowEventType.Alert);
    }

    [Fact]
    public async Task CheckWorkflowAsync_ErrorRateOverThreshold_RecordsFleetAlert()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Llm:Simulated:FailureRate"] = "1",
            ["Workflows:Thresholds:ErrorRateMinimumRuns"] = "2",
        });
        var first = await host.CreateRunAsync("Research one thing", ct);
        var second = await host.CreateRunAsync("Research another thing", ct);
        await host.EnqueueAsync(first, ct);
        await host.EnqueueAsync(second, ct);
        await host.StartAsync(ct);

        await host.WaitForStatusAsync(first, WorkflowRunStatus.Failed, ct);
        await host.WaitForStatusAsync(second, WorkflowRunStatus.Failed, ct);
        await host.WaitForNoPendingAsync(ct);

        var alert = Assert.Single(await host.GetAlertsAsync(ct));
        Assert.Equal(AlertKind.ErrorRate, alert.Kind);
        Assert.Null(alert.RunId);
        Assert.Equal(1.0, alert.ObservedValue);
        Assert.Equal(0.05, alert.Threshold);
    }

    [Fact]
    public async Task RaiseAsync_AlertWriteFails_RunStillCompletesAndAlertEventsPublished()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Thresholds:CostPerWorkflow"] = "0.0000001",
        });
        var runId = await host.CreateRunAsync("Research the options. Write the answer", ct);

        // Every alert insert now fails (the table is gone); the alert is a report, not part of the run.
        await host.ExecuteSqlAsync("DROP TABLE alerts", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
        Assert.Equal(1, run.AttemptCount);
        var events = await host.GetEventsAsync(runId, ct);
        var alertEvent = Assert.Single(events, e => e.Type == WorkflowEventType.Alert);
        Assert.Equal("CostPerWorkflow", alertEvent.Payload!.Value.GetProperty("kind").GetString());
        Assert.False(alertEvent.Payload.Value.TryGetProperty("alertId", out _), "an alert that was not stored has no id");
        Assert.Equal(WorkflowEventType.Completed, events[^1].Type);
    }
}
