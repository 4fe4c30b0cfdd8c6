using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Telemetry;

namespace Observability.WebSocketHub.Tests;

/// <summary>The delivery span continues the publisher's trace; the hub's metrics are scraped from /metrics.</summary>
[Trait("Category", "Integration")]
public sealed class TelemetryTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    [Fact]
    public async Task Deliver_PublishedWithTraceParent_ConsumerSpanIsChildOfThePublisher()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var traceId = ActivityTraceId.CreateRandom();
        var publisherSpanId = ActivitySpanId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HubTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Enqueue(activity);
                    delivered.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ExpectAsync("subscribed", ct);

        await hub.AppendAsync(sessionId, runId, 1, ct, traceParent: $"00-{traceId}-{publisherSpanId}-01");
        await client.ExpectAsync("event", ct);
        await delivered.Task.WaitAsync(ct);

        var span = Assert.Single(spans);
        Assert.Equal("workflows.events process", span.DisplayName);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal(publisherSpanId, span.ParentSpanId);
        Assert.Equal("redis", span.GetTagItem("messaging.system"));
        Assert.Equal("workflows.events", span.GetTagItem("messaging.destination.name"));
        Assert.Equal("process", span.GetTagItem("messaging.operation.type"));
        Assert.Equal(runId.ToString(), span.GetTagItem("workflow.run.id"));
        Assert.Equal(1, span.GetTagItem("websockethub.recipients"));
    }

    [Fact]
    public async Task Metrics_AfterTraffic_ScrapeShowsHubInstruments()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var runId = Guid.NewGuid();
        await using (var client = await hub.ConnectAsync(ct))
        {
            await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
            await client.ExpectAsync("subscribed", ct);
            await client.SendTextAsync("{}", ct);
            await client.ExpectAsync("error", ct);
            await client.CloseAsync(ct);
        }

        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        string scrape;
        do
        {
            // The connection's end is recorded once its handler returns, just after the client saw the close.
            scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
        }
        while (!scrape.Contains("websockethub_disconnects_total{", StringComparison.Ordinal));

        foreach (var name in (string[])[
            "websockethub_connections_active",
            "websockethub_messages_sent_total",
            "websockethub_messages_received_total",
            "websockethub_bytes_sent_bytes_total",
            "websockethub_bytes_received_bytes_total",
            "websockethub_connection_duration_seconds_bucket",
        ])
        {
            Assert.Contains(name, scrape, StringComparison.Ordinal);
        }

        Assert.Contains("websockethub_close_reason=\"normal\"", scrape, StringComparison.Ordinal);
    }
}
