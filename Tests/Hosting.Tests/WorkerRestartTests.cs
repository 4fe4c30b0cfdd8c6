using Observability.Hosting.Orchestration;

namespace Observability.Hosting.Tests;

/// <summary>A worker replica's process dies: the orchestrator restarts it, and the application keeps completing jobs.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class WorkerRestartTests(AppHostFixture fixture)
{
    [Fact]
    public async Task WorkerReplicaKilled_IsRestarted_AndAJobSubmittedWhileItWasDownCompletes()
    {
        using var cts = TestApps.Timeout(90);
        var app = fixture.App;
        await TestApps.WaitAllHealthyAsync(app, ["gateway", "worker"], cts.Token);
        var victim = app.ResourceNotifications.GetReplicas("worker")[0];

        // SIGKILL: no graceful shutdown, the way a crash or the OOM killer ends a process.
        using (var process = System.Diagnostics.Process.GetProcessById(victim.ProcessId!.Value))
        {
            process.Kill();
        }

        await app.ResourceNotifications.WaitForResourceAsync(
            "worker", replicas => Replica(replicas, victim) is { IsHealthy: false }, cts.Token);

        using var gateway = app.CreateHttpClient("gateway");
        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Plan a rollback drill for a payments service", "worker-restart-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();

        var restarted = Replica(
            await app.ResourceNotifications.WaitForResourceAsync(
                "worker", replicas => Replica(replicas, victim) is { IsHealthy: true } r && r.RestartCount > victim.RestartCount, cts.Token),
            victim);
        var run = await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "Completed", cts.Token);

        Assert.NotEqual(victim.ProcessId, restarted.ProcessId);
        Assert.False(TestApps.ProcessExists(victim.ProcessId.Value));
        Assert.Equal(victim.RestartCount + 1, restarted.RestartCount);
        Assert.NotEmpty(run.GetProperty("steps").EnumerateArray());
        Assert.All(app.ResourceNotifications.GetReplicas("worker"), r => Assert.True(r.IsHealthy, $"{r.InstanceId}: {r.State} ({r.Reason})"));
    }

    private static ResourceSnapshot Replica(IReadOnlyList<ResourceSnapshot> replicas, ResourceSnapshot victim) =>
        replicas.Single(r => r.InstanceId == victim.InstanceId);
}
