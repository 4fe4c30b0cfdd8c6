using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Messaging;

namespace Observability.Gateway.Tests;

[Trait("Category", "Integration")]
public sealed class OutboxRelayTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Submit_WhileRedisIsDown_Returns202AndDeliversTheJobOnceRedisIsBack()
    {
        using var timeout = TestTimeout.Start();
        await using var server = await RedisServer.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(postgres, server.ConnectionString, timeout.Token);
        await server.KillAsync();

        using var response = await gateway.SubmitAsync(new { task = "Survive an outage", sessionId = "s-down" }, timeout.Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var runId = body.GetProperty("runId").GetGuid();
        await server.RestartAsync();
        var entry = await gateway.WaitForJobAsync(runId, timeout.Token);
        Assert.True(ActivityContext.TryParse(entry[WorkflowStreams.TraceParentField], null, out var parent));
        Assert.Equal(body.GetProperty("traceId").GetString(), parent.TraceId.ToHexString());
    }

    [Fact]
    public async Task Submit_WithTenMinutePollInterval_WakesTheRelayAtOnce()
    {
        using var timeout = TestTimeout.Start(30);
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, new Dictionary<string, string?>
        {
            ["Gateway:Outbox:PollInterval"] = "00:10:00",
        });

        var (runId, _) = await WorkflowsApiReadTests.SubmitAsync(gateway, "s-wake", timeout.Token);

        // Only the submit's signal can deliver the job before the 30 s bound: the next poll is 10 minutes away.
        var entry = await gateway.WaitForJobAsync(runId, timeout.Token);
        Assert.NotNull(entry[WorkflowStreams.MessageField]);
    }

    [Fact]
    public async Task Relay_PublishSpan_ContinuesTheSubmitTraceWithMessagingAttributes()
    {
        using var timeout = TestTimeout.Start();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.SubmitAsync(new { task = "Trace me", sessionId = "s-span" }, timeout.Token);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var runId = body.GetProperty("runId").GetGuid();
        var traceId = body.GetProperty("traceId").GetString();
        var entry = await gateway.WaitForJobAsync(runId, timeout.Token);

        var submit = Assert.Single(stopped, a => a.OperationName == "workflow submit" && a.TraceId.ToHexString() == traceId);
        Assert.Equal(runId.ToString(), submit.GetTagItem("workflow.run_id"));
        // The span stops just after XADD returns: poll for it.
        var publish = await Poll.UntilAsync<Activity?>(
            _ => Task.FromResult(stopped.FirstOrDefault(a => a.Kind == ActivityKind.Producer && a.TraceId.ToHexString() == traceId)),
            found => found is not null,
            timeout.Token);

        Assert.Equal($"{WorkflowStreams.Jobs} publish", publish!.DisplayName);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(submit.SpanId, publish.ParentSpanId);
        Assert.Equal("redis", publish.GetTagItem("messaging.system"));
        Assert.Equal(WorkflowStreams.Jobs, publish.GetTagItem("messaging.destination.name"));
        Assert.Equal("send", publish.GetTagItem("messaging.operation.type"));
        Assert.Equal(entry.Id, publish.GetTagItem("messaging.message.id"));
    }
}
