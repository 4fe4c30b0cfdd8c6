using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Messaging;

namespace Observability.Gateway.Tests;

[Trait("Category", "Integration")]
public sealed class WorkflowsApiSubmitTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Submit_ValidTask_Returns202AndPublishesJobInTheCallersTrace()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        var callerTrace = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows")
        {
            Content = JsonContent.Create(new { task = "Summarise the report", sessionId = "s-1", mode = "auto" }),
        };
        request.Headers.Add("traceparent", $"00-{callerTrace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await gateway.Client.SendAsync(request, timeout.Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var runId = body.GetProperty("runId").GetGuid();
        var traceId = body.GetProperty("traceId").GetString();
        Assert.Equal(callerTrace, traceId);
        Assert.Equal($"/api/workflows/{runId}", body.GetProperty("statusUrl").GetString());
        Assert.Equal($"/api/workflows/{runId}", response.Headers.Location?.OriginalString);
        Assert.Equal("ws://hub.test:5100/ws", body.GetProperty("eventsUrl").GetString());

        var entry = await gateway.WaitForJobAsync(runId, timeout.Token);
        Assert.True(ActivityContext.TryParse(entry[WorkflowStreams.TraceParentField], null, out var parent));
        Assert.Equal(traceId, parent.TraceId.ToHexString());
        var job = JsonSerializer.Deserialize(entry[WorkflowStreams.MessageField]!, WorkflowsJsonContext.Default.WorkflowJobMessage);
        Assert.Equal(entry[WorkflowStreams.TraceParentField], job!.TraceParent);
    }

    [Fact]
    public async Task Submit_WithCorrelationId_CarriesItInTheJobBaggageAndTheRun()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows") { Content = JsonContent.Create(new { task = "Correlate" }) };
        request.Headers.Add("X-Correlation-ID", "corr-gateway-1");

        using var response = await gateway.Client.SendAsync(request, timeout.Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("runId").GetGuid();
        var entry = await gateway.WaitForJobAsync(runId, timeout.Token);
        Assert.Contains("correlation.id=corr-gateway-1", entry[WorkflowStreams.BaggageField], StringComparison.Ordinal);
        var run = await gateway.Client.GetFromJsonAsync<JsonElement>($"/api/workflows/{runId}", timeout.Token);
        Assert.Equal("corr-gateway-1", run.GetProperty("correlationId").GetString());
        Assert.Equal("default", run.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyAndBody_ReturnsTheSameRun()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var request = new { task = "Translate this", sessionId = "s-idem" };

        using var first = await gateway.SubmitAsync(request, timeout.Token, idempotencyKey: "key-1");
        using var second = await gateway.SubmitAsync(request, timeout.Token, idempotencyKey: "key-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstRun = (await first.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("runId").GetGuid();
        var secondRun = (await second.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("runId").GetGuid();
        Assert.Equal(firstRun, secondRun);
    }

    [Fact]
    public async Task Submit_ConcurrentRequestsWithOneIdempotencyKey_CreateOneRun()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(
            _ => gateway.SubmitAsync(new { task = "Only once", sessionId = "s-race" }, timeout.Token, idempotencyKey: "race-key")));

        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, (HttpStatusCode[])[HttpStatusCode.Accepted, HttpStatusCode.OK]));
            var runIds = new HashSet<Guid>();
            foreach (var response in responses)
            {
                runIds.Add((await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("runId").GetGuid());
            }

            Assert.Single(runIds);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyDifferentBody_Returns422Problem()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var first = await gateway.SubmitAsync(new { task = "One task", sessionId = "s" }, timeout.Token, idempotencyKey: "key-2");
        using var second = await gateway.SubmitAsync(new { task = "Another task", sessionId = "s" }, timeout.Token, idempotencyKey: "key-2");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{"sessionId":"s"}""", "task")]
    [InlineData("""{"task":"   "}""", "task")]
    [InlineData("""{"task":"t","mode":"turbo"}""", "mode")]
    [InlineData("""{"task":"t","sessionId":"has space"}""", "sessionId")]
    [InlineData("""{"task":"t","agent":""}""", "agent")]
    [InlineData("""{"task":"t","model":"m<script>"}""", "model")]
    [InlineData("""{"task":"t","sessionId":"s","extra":1,"mode":3}""", "mode")]
    [InlineData("""{"task":"a\u0000b"}""", "task")]
    [InlineData("""[]""", "body")]
    public async Task Submit_InvalidField_Returns400NamingTheField(string json, string field)
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await gateway.Client.PostAsync("/api/workflows", content, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Submit_TaskOver32KB_Returns400NamingTask()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.SubmitAsync(new { task = new string('x', (32 * 1024) + 1) }, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty("task", out _));
    }

    [Fact]
    public async Task Submit_BodyOverLimit_Returns413Problem()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.SubmitAsync(new { task = new string('x', 100 * 1024) }, timeout.Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Submit_OverTheClientsTokenBucket_Returns429WithRetryAfter()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:TokenLimit"] = "2",
            ["Gateway:RateLimit:TokensPerPeriod"] = "1",
            ["Gateway:RateLimit:ReplenishmentPeriod"] = "00:10:00",
        });

        using var first = await gateway.SubmitAsync(new { task = "a" }, timeout.Token);
        using var second = await gateway.SubmitAsync(new { task = "b" }, timeout.Token);
        using var third = await gateway.SubmitAsync(new { task = "c" }, timeout.Token);
        using var otherClient = new HttpRequestMessage(HttpMethod.Post, "/api/workflows") { Content = JsonContent.Create(new { task = "d" }) };
        otherClient.Headers.Add("X-Api-Key", "another-client");
        using var fourth = await gateway.Client.SendAsync(otherClient, timeout.Token);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero, third.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Accepted, fourth.StatusCode);
    }
}
