using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Jobs;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;
using StackExchange.Redis;

namespace Observability.Worker.Tests.Jobs;

[Trait("Category", "Integration")]
public sealed class RedisReconcilerTests(PostgresServerFixture postgres)
{
    private const string Task = "Research the market for solar panels. Write a summary of the findings; then draft a recommendation";

    [Fact]
    public async Task Check_RedisRestartedWithoutItsData_QueuedAndOwnerlessRunsResumeOnce()
    {
        using var timeout = TestTimeout.Start(90);
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            // Claims cannot bring anything back here (the pending lists are gone, and idle time is long): only the
            // reconciliation from PostgreSQL can.
            ["Workflows:Worker:ClaimIdleTime"] = "00:05:00",
            ["Workflows:Worker:ReconcileInterval"] = "00:00:00.100",
        });
        var before = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(before, ct);
        await host.StartAsync(ct);
        await host.WaitForStatusAsync(before, WorkflowRunStatus.Completed, ct);
        var firstServer = await WaitForReconciledServerAsync(host, null, ct);

        // Accepted runs whose job entries Redis acknowledged and then lost (their outbox rows are deleted), and a
        // run whose worker died mid-run: nothing in Redis says any of them exists.
        var queued = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            queued.Add(await host.CreateRunAsync(Task, ct));
        }

        var orphan = await host.CreateRunAsync(Task, ct);
        var plan = await host.CrashMidRunAsync(orphan, Task, ct);

        await host.Server.KillAsync();
        await host.Server.RestartAsync();

        var secondServer = await WaitForReconciledServerAsync(host, firstServer, ct);
        Assert.NotEqual(firstServer, secondServer);
        foreach (var runId in queued)
        {
            var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
            Assert.Equal(1, run.AttemptCount);
        }

        var resumed = await host.WaitForStatusAsync(orphan, WorkflowRunStatus.Completed, ct);
        Assert.Equal(2, resumed.AttemptCount);
        var steps = await host.GetStepsAsync(orphan, ct);
        Assert.Equal(plan.Steps.Count, steps.Count);
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Completed, s.Status));
        var first = Assert.Single(steps, s => s.StepKey == plan.Steps[0].Id);
        Assert.Equal((111, 222), (first.InputTokens, first.OutputTokens));
        Assert.Equal(steps.Sum(s => s.OutputTokens), resumed.OutputTokens);

        var untouched = await host.GetRunAsync(before, ct);
        Assert.Equal((WorkflowRunStatus.Completed, 1), (untouched!.Status, untouched.AttemptCount));
        await host.WaitForNoPendingAsync(ct);
    }

    [Fact]
    public async Task Check_FirstStartWithTheGroupInPlace_RecordsTheServerWithoutAddingEntries()
    {
        using var timeout = TestTimeout.Start(60);
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Worker:ReconcileInterval"] = "00:00:00.050",
        });

        // A Redis that lost nothing but was never reconciled (first start, or an upgrade): the group is there, with a
        // run's job entry in the stream, and no record.
        await host.Redis.StreamCreateConsumerGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "0", createStream: true).WaitAsync(ct);
        var runId = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        await WaitForReconciledServerAsync(host, null, ct);
        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);

        Assert.Equal(1, run.AttemptCount);
        Assert.Equal(1, await host.Redis.StreamLengthAsync(WorkflowStreams.Jobs).WaitAsync(ct));
    }

    [Theory]
    [InlineData("# Server\r\nredis_version:7.0.15\r\nrun_id:3f0b1c\r\ntcp_port:6379\r\n", "3f0b1c")]
    [InlineData("# Server\r\nredis_version:7.0.15\r\n", null)]
    [InlineData(null, null)]
    public void ParseRunId_InfoServerReply_ReadsTheRunIdLine(string? info, string? expected)
        => Assert.Equal(expected, RedisReconciler.ParseRunId(info));

    private static RedisReconciler Reconciler(WorkerTestHost host) => host.Services.GetServices<IHostedService>().OfType<RedisReconciler>().Single();

    /// <summary>Waits until a reconciliation recorded a server other than <paramref name="previous"/>; returns it.</summary>
    private static async Task<string> WaitForReconciledServerAsync(WorkerTestHost host, string? previous, CancellationToken cancellationToken)
    {
        var recorded = await Poll.UntilAsync<string?>(
            async token =>
            {
                try
                {
                    return (string?)await host.Redis.StringGetAsync(WorkflowStreams.ReconciledServer).WaitAsync(token);
                }
                catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
                {
                    return null;
                }
            },
            value => value is not null && value != previous,
            cancellationToken,
            value => $"recorded '{value}', reconciler task {Reconciler(host).ExecuteTask?.Status} {Reconciler(host).ExecuteTask?.Exception}");
        return recorded!;
    }
}
