using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Telemetry;

namespace Observability.WebSocketHub.Tests;

/// <summary>What protects the hub: frame validation and limits, origin check, slow consumers, heartbeats, shutdown.</summary>
[Trait("Category", "Integration")]
public sealed class ConnectionTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    public static TheoryData<string, string> BadFrames => new()
    {
        { "{not json", "" },
        { """{"type":"publish","runId":"6f1c2a9e-32f4-4a55-9b0e-0c4b8f3f8f10"}""", "type" },
        { """{"runId":"6f1c2a9e-32f4-4a55-9b0e-0c4b8f3f8f10"}""", "type" },
        { """{"type":"subscribe","ticket":"t"}""", "runId" },
        { """{"type":"subscribe","runId":"not-a-guid","ticket":"t"}""", "runId" },
        { """{"type":"subscribe","runId":42,"ticket":"t"}""", "runId" },
        { """{"type":"subscribe","runId":"6f1c2a9e-32f4-4a55-9b0e-0c4b8f3f8f10","sessionId":"s","ticket":"t"}""", "sessionId" },
        { """{"type":"subscribe","runId":"6f1c2a9e-32f4-4a55-9b0e-0c4b8f3f8f10","ticket":"t","lastEventId":"yesterday"}""", "lastEventId" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Receive_BadFrame_ErrorFrameNamesTheField(string text, string field)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        await using var client = await hub.ConnectAsync(ct);

        await client.SendTextAsync(text, ct);
        var error = await client.ExpectAsync("error", ct);

        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal(field, error.TryGetProperty("field", out var named) ? named.GetString() : "");
    }

    [Fact]
    public async Task Receive_TooManyBadFrames_ClosesWith1008()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["WebSocketHub:MaxProtocolErrors"] = "2" });
        await using var client = await hub.ConnectAsync(ct);

        for (var i = 0; i < 3; i++)
        {
            await client.SendTextAsync("[]", ct);
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.ReceiveCloseAsync(ct));
    }

    [Fact]
    public async Task Receive_FrameOverMaxMessageBytes_ClosesWith1009()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["WebSocketHub:MaxMessageBytes"] = "1024" });
        await using var client = await hub.ConnectAsync(ct);

        await client.SendTextAsync($$"""{"type":"subscribe","sessionId":"{{new string('s', 1100)}}"}""", ct);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync(ct));
    }

    [Fact]
    public async Task Upgrade_OriginNotAllowed_403ProblemDetails()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["WebSocketHub:AllowedOrigins:0"] = "https://app.example.com" });
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, EventsHubEndpoint.Path);
        request.Headers.Add("Origin", "https://evil.example.com");

        using var refused = await http.SendAsync(request, ct);
        var refusedSocket = await Assert.ThrowsAsync<WebSocketException>(() =>
            HubClient.ConnectAsync(hub.WebSocketUri, ct, options => options.SetRequestHeader("Origin", "https://evil.example.com")));
        await using var allowed = await HubClient.ConnectAsync(hub.WebSocketUri, ct, options => options.SetRequestHeader("Origin", "https://app.example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("evil.example.com", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.NotNull(refusedSocket);
    }

    [Fact]
    public async Task Send_ClientStopsReading_ClosedWith4000SlowConsumer()
    {
        using var timeout = TestTimeout.Start(60);
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["WebSocketHub:MaxQueuedMessages"] = "8" });
        var registry = hub.Services.GetRequiredService<ConnectionRegistry>();
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ExpectAsync("subscribed", ct);

        // The client reads nothing more: large events fill the socket buffers, then the hub's queue.
        var sequence = 0;
        while (registry.Snapshot().Single().ClosingReason is null)
        {
            await hub.AppendAsync(sessionId, runId, ++sequence, ct, payloadBytes: 64 * 1024);
        }

        Assert.Equal(DisconnectReason.SlowConsumer, registry.Snapshot().Single().ClosingReason);
        Assert.Equal((WebSocketCloseStatus)4000, await client.ReceiveCloseAsync(ct));
        Assert.Equal("slow consumer", client.CloseStatusDescription);
    }

    [Fact]
    public async Task Heartbeat_ShortInterval_ArrivesWithTimestamp()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["WebSocketHub:HeartbeatInterval"] = "00:00:00.100" });
        await using var client = await hub.ConnectAsync(ct);

        var frame = await client.ReceiveAnyAsync(ct);

        Assert.NotNull(frame);
        Assert.Equal("heartbeat", frame.Value.GetProperty("type").GetString());
        Assert.True(frame.Value.GetProperty("timestamp").TryGetDateTimeOffset(out _), frame.ToString());
    }

    [Fact]
    public async Task Shutdown_ConnectedClient_ClosedWith1001()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        await using var client = await hub.ConnectAsync(ct);
        var runId = Guid.NewGuid();
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ExpectAsync("subscribed", ct);

        var stopping = hub.DisposeAsync().AsTask();
        var status = await client.ReceiveCloseAsync(ct);
        await client.CloseAsync(ct);
        await stopping.WaitAsync(ct);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }

    [Fact]
    public async Task Subscribe_OverMaxSubscriptions_ErrorFrame()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["WebSocketHub:MaxSubscriptionsPerConnection"] = "2" });
        await using var client = await hub.ConnectAsync(ct);
        for (var i = 0; i < 2; i++)
        {
            var runId = Guid.NewGuid();
            await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
            await client.ExpectAsync("subscribed", ct);
        }

        var third = Guid.NewGuid();
        await client.SubscribeRunAsync(third, hub.Tickets.IssueForRun(third), ct);
        var error = await client.ExpectAsync("error", ct);

        Assert.Equal("too_many_subscriptions", error.GetProperty("code").GetString());
        Assert.Equal(third, error.GetProperty("runId").GetGuid());
    }
}
