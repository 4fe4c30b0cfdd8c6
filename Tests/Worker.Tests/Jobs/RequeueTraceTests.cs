using System.Diagnostics;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Jobs;
using Observability.Worker.Tests.Llm;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Jobs;

[Collection(TelemetryListeners.Name)]
[Trait("Category", "Integration")]
public sealed class RequeueTraceTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task SweepAsync_StuckRun_ReenqueuedInItsOriginalTraceWithALinkToTheSweep()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var stopped = new StoppedWorkerSpans();
        var traceId = ActivityTraceId.CreateRandom();
        var submitSpanId = ActivitySpanId.CreateRandom();
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Worker:StuckRunTimeout"] = "00:00:01",
            ["Workflows:Worker:SweepInterval"] = "00:00:00.100",
        });
        var runId = await host.CreateRunAsync("Research the topic. Write the answer", ct, $"00-{traceId.ToHexString()}-{submitSpanId.ToHexString()}-01");

        // Started by a worker that died; its job entry is gone, so only the sweeper can bring the run back.
        Assert.True(await host.WithRunStoreAsync(store => store.TryStartAsync(runId, ct)));
        await host.StartAsync(ct);
        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);

        var publish = await stopped.WaitForAsync(a => a.OperationName == RunRequeuer.PublishSpanName && a.GetTagItem("workflow.run.id") as string == runId.ToString(), ct);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(traceId, publish.TraceId);
        Assert.Equal(submitSpanId, publish.ParentSpanId);
        var sweep = await stopped.WaitForAsync(a => a.OperationName == "workflow.sweep" && publish.Links.Any(l => l.Context.SpanId == a.SpanId), ct);
        Assert.NotEqual(traceId, sweep.TraceId);

        var process = await stopped.WaitForAsync(a => a.OperationName == JobTrace.SpanName && a.GetTagItem("workflow.run.id") as string == runId.ToString(), ct);
        Assert.Equal(traceId, process.TraceId);

        // On a slow machine the sweeper may re-enqueue the run more than once before a worker takes it (at-least-once):
        // every re-enqueue continues the original trace, and the job that ran is one of them.
        var publishes = stopped.All.Where(a => a.OperationName == RunRequeuer.PublishSpanName && a.GetTagItem("workflow.run.id") as string == runId.ToString()).ToList();
        Assert.All(publishes, p => Assert.Equal((traceId, submitSpanId), (p.TraceId, p.ParentSpanId)));
        Assert.Contains(process.ParentSpanId, publishes.Select(p => p.SpanId));
        var run = await stopped.WaitForAsync(a => a.OperationName == "workflow.run" && a.GetTagItem("workflow.run.id") as string == runId.ToString(), ct);
        Assert.Equal(traceId, run.TraceId);
    }
}
