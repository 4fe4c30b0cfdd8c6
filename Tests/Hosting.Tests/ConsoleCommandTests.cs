using Microsoft.Extensions.DependencyInjection;
using Observability.Hosting.Orchestration;

namespace Observability.Hosting.Tests;

[Trait("Category", "Integration")]
public sealed class ConsoleCommandTests
{
    [Fact]
    public async Task Commands_StatusStopStartLogs_ActOnTheNamedResource()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        builder.AddTestService("svc");
        await using var app = await builder.BuildAsync(cts.Token);
        await app.StartAsync(cts.Token);
        var first = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();
        var commands = app.Services.GetRequiredService<ResourceCommandInterpreter>();

        Assert.Matches($@"^svc-\w+ +Running +pid {first.ProcessId}", await commands.ExecuteAsync("status", cts.Token));
        Assert.Contains("Test service", await commands.ExecuteAsync("logs svc", cts.Token), StringComparison.Ordinal);

        Assert.Equal("svc: stopped", await commands.ExecuteAsync("stop svc", cts.Token));
        Assert.Equal(ResourceState.Exited, TestApps.Single(app, "svc").State);

        Assert.Equal("svc: starting", await commands.ExecuteAsync("start  svc ", cts.Token));
        var second = (await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", cts.Token)).Single();
        Assert.NotEqual(first.ProcessId, second.ProcessId);

        Assert.Equal("There is no resource named 'nope'.", await commands.ExecuteAsync("stop nope", cts.Token));
        Assert.Equal(ResourceCommandInterpreter.Help, await commands.ExecuteAsync("dance", cts.Token));
    }
}
