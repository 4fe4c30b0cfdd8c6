using System.Diagnostics;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Jobs;
using Observability.Worker.Tests.Llm;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Jobs;

[Collection(TelemetryListeners.Name)]
[Trait("Category", "Integration")]
public sealed class JobTraceTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task ProcessAsync_JobWithTraceParent_ContinuesTheProducersTrace()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var stopped = new StoppedWorkerSpans();
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpanId = ActivitySpanId.CreateRandom();
        var traceParent = $"00-{traceId.ToHexString()}-{parentSpanId.ToHexString()}-01";

        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync("Analyze the logs. Write a report", ct);
        var entryId = await host.EnqueueAsync(runId, ct, traceParent, "correlation.id=req%2042,tenant=acme");
        await host.StartAsync(ct);
        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);

        var process = await stopped.WaitForAsync(a => a.OperationName == JobTrace.SpanName && a.GetTagItem("workflow.run.id") as string == runId.ToString(), ct);
        Assert.Equal(traceId, process.TraceId);
        Assert.Equal(parentSpanId, process.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal("redis", process.GetTagItem("messaging.system"));
        Assert.Equal("workflows.jobs", process.GetTagItem("messaging.destination.name"));
        Assert.Equal("process", process.GetTagItem("messaging.operation.type"));
        Assert.Equal("workers", process.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal(entryId, process.GetTagItem("messaging.message.id"));
        Assert.Equal("req 42", process.GetTagItem("correlation.id"));

        var run = await stopped.WaitForAsync(a => a.OperationName == "workflow.run" && a.GetTagItem("workflow.run.id") as string == runId.ToString(), ct);
        Assert.Equal(traceId, run.TraceId);
        Assert.Equal(process.SpanId, run.ParentSpanId);
        var validate = await stopped.WaitForAsync(a => a.OperationName == "workflow.validate" && a.TraceId == traceId, ct);
        Assert.Equal(1.0, validate.GetTagItem("workflow.quality_score"));
        var route = await stopped.WaitForAsync(a => a.OperationName == "workflow.route" && a.TraceId == traceId, ct);
        Assert.Contains(route.Events, e => e.Name == "workflow.route.decision"
            && e.Tags.Any(t => t.Key == "workflow.step.agent" && Equals(t.Value, "researcher")));
        await stopped.WaitForAsync(a => a.OperationName == "workflow.step review" && a.TraceId == traceId, ct);
    }
}
