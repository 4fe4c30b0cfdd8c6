using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;

namespace Observability.Gateway.Tests;

[Trait("Category", "Integration")]
public sealed class ObservabilityApiTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Performance_SessionWithRuns_CountsThem()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        await WorkflowsApiReadTests.SubmitAsync(gateway, "s-perf", timeout.Token);
        await WorkflowsApiReadTests.SubmitAsync(gateway, "s-perf", timeout.Token);
        await WorkflowsApiReadTests.SubmitAsync(gateway, "s-elsewhere", timeout.Token);

        var performance = await gateway.Client.GetFromJsonAsync<JsonElement>("/api/observability/performance/s-perf?hours=2", timeout.Token);

        Assert.Equal(2, performance.GetProperty("hours").GetInt32());
        Assert.Equal(2, performance.GetProperty("summary").GetProperty("runs").GetInt64());
        Assert.Equal(0, performance.GetProperty("summary").GetProperty("completed").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("721")]
    [InlineData("-5")]
    public async Task Performance_HoursOutOfRange_Returns400NamingHours(string hours)
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.GetAsync($"/api/observability/performance/s?hours={hours}", timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty("hours", out _), problem.ToString());
    }

    [Fact]
    public async Task Trace_KnownRun_LinksToTheDashboardTrace()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var (runId, traceId) = await WorkflowsApiReadTests.SubmitAsync(gateway, "s-trace", timeout.Token);

        var link = await gateway.Client.GetFromJsonAsync<JsonElement>($"/api/observability/traces/{runId}", timeout.Token);

        Assert.Equal(traceId, link.GetProperty("traceId").GetString());
        Assert.Equal($"{GatewayHost.DashboardBase}/traces/detail/{traceId}", link.GetProperty("traceUrl").GetString());
    }

    [Fact]
    public async Task Trace_UnknownRun_Returns404Problem()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.GetAsync($"/api/observability/traces/{Guid.NewGuid()}", timeout.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
