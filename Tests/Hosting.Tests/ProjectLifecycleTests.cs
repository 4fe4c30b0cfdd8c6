using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Orchestration;
using Observability.TestInfrastructure.Processes;

namespace Observability.Hosting.Tests;

[Trait("Category", "Integration")]
public sealed class ProjectLifecycleTests
{
    [Fact]
    public async Task KilledProject_IsRestarted_WithANewProcess()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        builder.AddTestService("svc");
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        var first = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();

        Assert.True(NativeKill(first.ProcessId!.Value));

        var restarted = (await app.ResourceNotifications.WaitForResourceAsync(
            "svc", replicas => replicas.Single() is { IsHealthy: true, RestartCount: 1 }, cts.Token)).Single();
        Assert.NotEqual(first.ProcessId, restarted.ProcessId);
        Assert.False(TestApps.ProcessExists(first.ProcessId.Value));
        using var client = app.CreateHttpClient("svc");
        Assert.Equal("Healthy", await client.GetStringAsync("/health", cts.Token));
    }

    [Fact]
    public async Task StopStartAndRestartCommands_StopAndBringBackTheProject()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        builder.AddTestService("svc");
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        var running = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();
        var port = app.GetEndpoint("svc").Port;

        await app.StopResourceAsync("svc", cts.Token);
        var stopped = TestApps.Single(app, "svc");
        Assert.Equal(ResourceState.Exited, stopped.State);
        Assert.Equal("stopped", stopped.Reason);
        Assert.False(TestApps.ProcessExists(running.ProcessId!.Value));
        Assert.False(LoopbackPort.IsListening(port));

        app.StartResource("svc");
        var started = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();
        Assert.NotEqual(running.ProcessId, started.ProcessId);

        await app.RestartResourceAsync("svc", cts.Token);
        var restarted = (await app.ResourceNotifications.WaitForResourceAsync(
            "svc", replicas => replicas.Single() is { IsHealthy: true } r && r.ProcessId != started.ProcessId, cts.Token)).Single();
        Assert.False(TestApps.ProcessExists(started.ProcessId!.Value));
        Assert.Equal(0, restarted.RestartCount);
    }

    [Fact]
    public async Task HealthCheckFailsWhileRunning_ResourceTurnsUnhealthy_ThenRecovers()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder("--AppHost:HealthCheckInterval=00:00:00.1");
        builder.AddTestService("svc");
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        var healthy = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();
        using var client = app.CreateHttpClient("svc");

        (await client.PostAsync("/health/toggle", null, cts.Token)).EnsureSuccessStatusCode();
        var unhealthy = (await app.ResourceNotifications.WaitForResourceStateAsync("svc", ResourceState.Unhealthy, cts.Token)).Single();
        (await client.PostAsync("/health/toggle", null, cts.Token)).EnsureSuccessStatusCode();
        var recovered = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();

        Assert.Contains("answered 503", unhealthy.Reason, StringComparison.Ordinal);
        Assert.Equal(healthy.ProcessId, unhealthy.ProcessId);
        Assert.Equal(healthy.ProcessId, recovered.ProcessId);
    }

    [Fact]
    public async Task DependencyNeverHealthy_KeepsDependentWaitingWithReason()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        var sick = builder.AddProject("sick", TestApps.TestServicePath).WithHttpHealthCheck("/never-healthy");
        builder.AddTestService("dependent").WaitFor(sick);
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        // The sick service runs and answers 503; its dependent waits and says why.
        await app.ResourceNotifications.WaitForResourceAsync(
            "sick", r => r.Single() is { State: ResourceState.Starting, Reason: { } reason } && reason.Contains("503", StringComparison.Ordinal), cts.Token);
        var waiting = (await app.ResourceNotifications.WaitForResourceAsync(
            "dependent", r => r.Single().Reason?.Contains("503", StringComparison.Ordinal) == true, cts.Token)).Single();
        Assert.Equal(ResourceState.Waiting, waiting.State);
        Assert.Contains("waiting for 'sick' to become healthy", waiting.Reason, StringComparison.Ordinal);
        Assert.Null(waiting.ProcessId);

        // Several probes later (the sick service keeps failing), nothing has changed for the dependent.
        using var sickClient = app.CreateHttpClient("sick");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await sickClient.GetAsync("/never-healthy", cts.Token)).StatusCode);
        }

        Assert.Equal(ResourceState.Waiting, TestApps.Single(app, "dependent").State);
        Assert.False(LoopbackPort.IsListening(app.GetEndpoint("dependent").Port));
    }

    [Fact]
    public async Task WaitForCompletion_JobFinishes_DependentStartsAndJobOutputIsKept()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        var migrate = builder.AddExecutable("migrate", "sh", ".", "-c", "echo migrated; echo to-stderr >&2");
        builder.AddTestService("svc").WaitForCompletion(migrate);
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token);

        Assert.Equal(ResourceState.Finished, TestApps.Single(app, "migrate").State);
        var lines = app.GetResourceLogs("migrate");
        Assert.Contains(lines, l => l is { Text: "migrated", IsError: false });
        Assert.Contains(lines, l => l is { Text: "to-stderr", IsError: true });
        Assert.All(lines, l => Assert.True(l.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Contains(app.GetResourceLogs("svc"), l => l.Text.StartsWith("Test service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitForCompletion_JobFails_DependentFailsToStartWithReason()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        var migrate = builder.AddExecutable("migrate", "sh", ".", "-c", "exit 3");
        builder.AddTestService("svc").WaitForCompletion(migrate);
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        var failed = (await app.ResourceNotifications.WaitForResourceStateAsync("svc", ResourceState.FailedToStart, cts.Token)).Single();

        Assert.Equal("dependency 'migrate' exited with code 3", failed.Reason);
        Assert.Equal(3, TestApps.Single(app, "migrate").ExitCode);
    }

    [Fact]
    public async Task MissingProgram_FailsToStartWithReason()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        builder.AddExecutable("tool", "no-such-program-here", ".");
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);

        var failed = (await app.ResourceNotifications.WaitForResourceStateAsync("tool", ResourceState.FailedToStart, cts.Token)).Single();

        Assert.Contains("'no-such-program-here' was not found", failed.Reason, StringComparison.Ordinal);
    }

    private static bool NativeKill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
