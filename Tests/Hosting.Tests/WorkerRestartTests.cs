using System.Globalization;
using System.Text.Json;
using Observability.Hosting.Orchestration;
using Observability.Workflows.Messaging;

namespace Observability.Hosting.Tests;

/// <summary>
/// The worker replica running a job is killed: the orchestrator restarts it, another worker takes the job over, and
/// the run completes.
/// </summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class WorkerRestartTests(AppHostFixture fixture)
{
    [Fact]
    public async Task WorkerReplicaKilledWhileRunningAJob_IsRestarted_AndTheJobStillCompletes()
    {
        using var cts = TestApps.Timeout(90);
        var app = fixture.App;
        await TestApps.WaitAllHealthyAsync(app, ["gateway", "worker"], cts.Token);
        using var gateway = app.CreateHttpClient("gateway");
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("cache", cts.Token))!);

        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Plan a rollback drill for a payments service", "worker-restart-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();
        var consumer = await WaitForConsumerOfAsync(redis, runId, cts.Token);
        await WaitForRunningAsync(gateway, runId, cts.Token);

        // The consumer is named {machine}-{pid}: that process is the replica running the job.
        var pid = int.Parse(consumer[(consumer.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
        var victim = app.ResourceNotifications.GetReplicas("worker").Single(r => r.ProcessId == pid);
        // SIGKILL: no graceful shutdown (which would hand the job back), the way a crash or the OOM killer ends it.
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill();
        }

        var restarted = Replica(
            await app.ResourceNotifications.WaitForResourceAsync(
                "worker", replicas => Replica(replicas, victim) is { IsHealthy: true } r && r.RestartCount > victim.RestartCount, cts.Token),
            victim);
        var run = await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "Completed", cts.Token);

        Assert.NotEqual(pid, restarted.ProcessId);
        Assert.False(TestApps.ProcessExists(pid));
        Assert.Equal(victim.RestartCount + 1, restarted.RestartCount);
        // Started by the killed replica, then taken over: a second attempt finished it.
        Assert.True(run.GetProperty("attemptCount").GetInt32() >= 2, $"attemptCount: {run}");
        Assert.NotEmpty(run.GetProperty("steps").EnumerateArray());
        Assert.All(run.GetProperty("steps").EnumerateArray(), step => Assert.Equal("Completed", step.GetProperty("status").GetString()));
    }

    private static ResourceSnapshot Replica(IReadOnlyList<ResourceSnapshot> replicas, ResourceSnapshot victim) =>
        replicas.Single(r => r.InstanceId == victim.InstanceId);

    /// <summary>Polls the job stream's pending entries until the run's job is delivered; returns the consumer holding it.</summary>
    private static async Task<string> WaitForConsumerOfAsync(StackExchange.Redis.ConnectionMultiplexer redis, Guid runId, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        while (true)
        {
            foreach (var pending in await database.StreamPendingMessagesAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, 100, StackExchange.Redis.RedisValue.Null).WaitAsync(cancellationToken))
            {
                var entries = await database.StreamRangeAsync(WorkflowStreams.Jobs, pending.MessageId, pending.MessageId).WaitAsync(cancellationToken);
                if (entries.Length == 1 && (string?)entries[0][WorkflowStreams.MessageField] is { } json
                    && JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowJobMessage)?.RunId == runId)
                {
                    return pending.ConsumerName!;
                }
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Polls until the run is Running; fails if it got past it (it finished before the test could kill its worker).</summary>
    private static async Task WaitForRunningAsync(HttpClient gateway, Guid runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = (await GatewayWorkflows.GetJsonAsync(gateway, $"/api/workflows/{runId}", cancellationToken)).GetProperty("status").GetString();
            if (status == "Running")
            {
                return;
            }

            Assert.True(status == "Queued", $"Run {runId} is {status} before its worker could be killed.");
            await Task.Delay(20, cancellationToken);
        }
    }
}
