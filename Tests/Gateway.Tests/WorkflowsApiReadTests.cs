using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Gateway.Tests;

[Trait("Category", "Integration")]
public sealed class WorkflowsApiReadTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Get_RunWithPlanAndSteps_ReturnsStatusStepsTokensAndTrace()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var (runId, traceId) = await SubmitAsync(gateway, "s-get", timeout.Token);
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            var runs = scope.ServiceProvider.GetRequiredService<WorkflowRunStore>();
            Assert.True(await runs.TryStartAsync(runId, timeout.Token));
            var plan = new WorkflowPlan([new PlannedStep("research", "Find sources", [], "researcher", "Needs web search")]);
            Assert.True((await runs.RecordPlanAsync(runId, plan, 0.9, timeout.Token)).Applied);
            var steps = scope.ServiceProvider.GetRequiredService<WorkflowStepStore>();
            Assert.True(await steps.TryStartAsync(runId, "research", timeout.Token));
            Assert.True(await steps.CompleteAsync(runId, "research", 100, 20, 0.01m, timeout.Token));
        }

        var run = await gateway.Client.GetFromJsonAsync<JsonElement>($"/api/workflows/{runId}", timeout.Token);

        Assert.Equal("Running", run.GetProperty("status").GetString());
        Assert.Equal(traceId, run.GetProperty("traceId").GetString());
        Assert.Equal("research", run.GetProperty("plan").GetProperty("steps")[0].GetProperty("id").GetString());
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("researcher", step.GetProperty("agent").GetString());
        Assert.Equal("Needs web search", step.GetProperty("explanation").GetString());
        Assert.Equal("Completed", step.GetProperty("status").GetString());
        Assert.Equal(120, step.GetProperty("tokens").GetProperty("total").GetInt64());
        Assert.True(run.GetProperty("queuedSeconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Array, run.GetProperty("alerts").ValueKind);
    }

    [Fact]
    public async Task Get_UnknownRun_Returns404Problem()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.GetAsync($"/api/workflows/{Guid.NewGuid()}", timeout.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task List_MoreRunsThanTheLimit_PagesWithNextCursorNewestFirst()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var submitted = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            submitted.Add((await SubmitAsync(gateway, "s-list", timeout.Token)).RunId);
        }

        await SubmitAsync(gateway, "s-other", timeout.Token);

        var first = await gateway.Client.GetFromJsonAsync<JsonElement>("/api/workflows?sessionId=s-list&limit=2", timeout.Token);
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await gateway.Client.GetFromJsonAsync<JsonElement>($"/api/workflows?sessionId=s-list&limit=2&cursor={cursor}", timeout.Token);

        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(item => item.GetProperty("runId").GetGuid()).ToList();
        Assert.Equal(Enumerable.Reverse(submitted), ids);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task List_ByStatus_ReturnsOnlyThatStatus()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var (cancelled, _) = await SubmitAsync(gateway, "s-status", timeout.Token);
        await SubmitAsync(gateway, "s-status", timeout.Token);
        using var cancel = await gateway.Client.PostAsync($"/api/workflows/{cancelled}/cancel", null, timeout.Token);

        var page = await gateway.Client.GetFromJsonAsync<JsonElement>("/api/workflows?sessionId=s-status&status=cancelled", timeout.Token);

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(cancelled, item.GetProperty("runId").GetGuid());
    }

    [Theory]
    [InlineData("/api/workflows", "sessionId")]
    [InlineData("/api/workflows?sessionId=s&status=Paused", "status")]
    [InlineData("/api/workflows?sessionId=s&status=2", "status")]
    [InlineData("/api/workflows?sessionId=s&cursor=not-a-cursor", "cursor")]
    [InlineData("/api/workflows?sessionId=s&limit=0", "limit")]
    [InlineData("/api/workflows?sessionId=s&limit=201", "limit")]
    [InlineData("/api/workflows?sessionId=s&limit=99999999999", "limit")]
    [InlineData("/api/workflows?sessionId=s&status=Queued,Running", "status")]
    [InlineData("/api/workflows?sessionId=%00", "sessionId")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string url, string field)
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.GetAsync(url, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Cancel_QueuedRun_Returns200ThenConflictOnceCancelled()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var (runId, _) = await SubmitAsync(gateway, "s-cancel", timeout.Token);

        using var first = await gateway.Client.PostAsync($"/api/workflows/{runId}/cancel", null, timeout.Token);
        using var second = await gateway.Client.PostAsync($"/api/workflows/{runId}/cancel", null, timeout.Token);
        using var unknown = await gateway.Client.PostAsync($"/api/workflows/{Guid.NewGuid()}/cancel", null, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Cancelled", (await first.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    internal static async Task<(Guid RunId, string TraceId)> SubmitAsync(GatewayHost gateway, string sessionId, CancellationToken cancellationToken)
    {
        using var response = await gateway.SubmitAsync(new { task = "Do the thing", sessionId }, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (body.GetProperty("runId").GetGuid(), body.GetProperty("traceId").GetString()!);
    }
}
