using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class RunTraceContextTests(PostgresServerFixture postgres)
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private const string Baggage = "tenant=contoso,plan=gold";

    [Fact]
    public async Task CreateAsync_WithContext_StoresItWithTheRunForWhoeverStartsIt()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        var created = await host.WithStoreAsync(store => store.CreateAsync(
            new CreateRunRequest("session-1", "plan a trip", TraceParent: TraceParent, Baggage: Baggage), timeout.Token));
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var execution = await store.TryStartAsync(created.Run.Id, takeOver: false, timeout.Token);

        Assert.Equal((TraceParent, Baggage), (created.Run.TraceParent, created.Run.Baggage));
        Assert.Equal(TraceParent, await host.ScalarAsync($"SELECT traceparent FROM workflow_runs WHERE id = '{created.Run.Id}'", timeout.Token));
        Assert.NotNull(execution);
        Assert.Equal((TraceParent, Baggage), (execution.TraceParent, execution.Baggage));
        Assert.Equal((TraceParent, Baggage), await store.GetTraceContextAsync(created.Run.Id, timeout.Token));
    }

    [Fact]
    public async Task GetTraceContextAsync_RunWithoutContextOrUnknown_ReturnsNulls()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var created = await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "no context"), timeout.Token));
        var store = host.Services.GetRequiredService<RunExecutionStore>();

        Assert.Equal(((string?)null, (string?)null), await store.GetTraceContextAsync(created.Run.Id, timeout.Token));
        Assert.Equal(((string?)null, (string?)null), await store.GetTraceContextAsync(Guid.NewGuid(), timeout.Token));
    }
}
