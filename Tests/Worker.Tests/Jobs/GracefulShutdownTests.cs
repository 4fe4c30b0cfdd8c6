using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Jobs;

[Trait("Category", "Integration")]
public sealed class GracefulShutdownTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task StopAsync_JobInFlight_FinishesAndAcknowledgesIt()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Llm:Simulated:MedianLatency"] = "00:00:00.100",
            ["Llm:Simulated:P95Latency"] = "00:00:00.150",
        });
        var runId = await host.CreateRunAsync("Research the topic. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);
        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Running, ct);

        await host.StopAsync(ct);

        var run = await host.GetRunAsync(runId, ct);
        Assert.Equal(WorkflowRunStatus.Completed, run!.Status);
        Assert.Equal(0, (await host.Redis.StreamPendingAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task StopAsync_JobLongerThanShutdownTimeout_LeftPendingForAnotherConsumer()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Llm:Simulated:MedianLatency"] = "00:00:05",
            ["Llm:Simulated:P95Latency"] = "00:00:05",
            ["Workflows:Worker:ShutdownTimeout"] = "00:00:00.100",
        });
        var runId = await host.CreateRunAsync("Research the topic. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);
        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Running, ct);

        await host.StopAsync(ct);

        var pending = await host.Redis.StreamPendingAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup);
        Assert.Equal(1, pending.PendingMessageCount);
        var run = await host.GetRunAsync(runId, ct);
        Assert.Equal(WorkflowRunStatus.Queued, run!.Status);
    }
}
