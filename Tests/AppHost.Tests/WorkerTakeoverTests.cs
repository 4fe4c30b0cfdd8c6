using System.Globalization;
using System.Text.Json;
using Observability.TestInfrastructure.Processes;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.AppHost.Tests;

/// <summary>
/// The worker replica running a job is killed outright: the other replica claims the job and the run completes, once.
/// The killed replica is then brought back with the dashboard's Restart command.
/// </summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class WorkerTakeoverTests(AppHostFixture fixture)
{
    [Fact]
    public async Task WorkerReplicaKilledWhileRunningAJob_TheOtherReplicaCompletesTheRunOnce_AndRestartBringsItBack()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var app = fixture.App;
        using var gateway = app.CreateHttpClient("gateway");
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("cache", cts.Token))!);

        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Plan a rollback drill for a payments service", "takeover-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();
        var consumer = await WaitForConsumerOfAsync(redis.GetDatabase(), runId, cts.Token);
        await WaitForRunningAsync(gateway, runId, cts.Token);

        // The consumer is named {machine}-{pid}: that process is the replica running the job, started by DCP from the
        // build output (AppHost/Startup/BuildOutputLaunchExtensions.cs), so it is the pid the replica's resource shows.
        var pid = int.Parse(consumer[(consumer.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
        var victim = await app.ResourceNotifications.WaitForResourceAsync("worker", e => PidOf(e) == pid, cts.Token);
        // SIGKILL: no graceful shutdown (which would hand the job back), the way a crash or the OOM killer ends it.
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill();
        }

        var run = await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "Completed", cts.Token);
        Assert.False(ProcFs.IsRunning(pid));
        // Started by the killed replica, then taken over: a second attempt finished it.
        Assert.True(run.GetProperty("attemptCount").GetInt32() >= 2, $"attemptCount: {run}");
        Assert.All(run.GetProperty("steps").EnumerateArray(), step => Assert.Equal("Completed", step.GetProperty("status").GetString()));
        await using (var socket = await HubSocket.ConnectAsync(app.GetEndpoint("websockethub", "http"), cts.Token))
        {
            var events = await socket.ReadRunAsync(runId, submitted.GetProperty("eventsTicket").GetString(), cts.Token);
            Assert.Single(events, e => HubSocket.EventType(e) == "Completed");
        }

        // The dashboard's Restart command on the killed replica brings it back healthy, with a new process.
        var result = await app.ResourceCommands.ExecuteCommandAsync(victim.ResourceId, KnownResourceCommands.RestartCommand, cts.Token);
        Assert.True(result.Success, result.Message);
        var restarted = await app.ResourceNotifications.WaitForResourceAsync(
            "worker",
            e => e.ResourceId == victim.ResourceId && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                && PidOf(e) is { } newPid && newPid != pid,
            cts.Token);
        Assert.Equal("Running", restarted.Snapshot.State?.Text);
    }

    private static int? PidOf(ResourceEvent e) =>
        e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            && int.TryParse(value.ToString(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>Polls the job stream's pending entries until the run's job is delivered; returns the consumer holding it.</summary>
    private static async Task<string> WaitForConsumerOfAsync(IDatabase redis, Guid runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var pending in await redis.StreamPendingMessagesAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, 100, RedisValue.Null))
            {
                var entry = (await redis.StreamRangeAsync(WorkflowStreams.Jobs, pending.MessageId, pending.MessageId)).SingleOrDefault();
                var json = entry.IsNull ? RedisValue.Null : entry[WorkflowStreams.MessageField];
                if (!json.IsNull && JsonSerializer.Deserialize((string)json!, WorkflowsJsonContext.Default.WorkflowJobMessage)?.RunId == runId)
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
