using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Subscriptions;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>
/// Events published while the hub's pub/sub connection is down reach its open connections once the subscription is
/// back: each subscription re-syncs from its stream, with no gap and no duplicate.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ResyncTests(WorkflowsDatabaseFixture database)
{
    private const string AppenderUser = "appender";
    private const string AppenderPassword = "appender-password";

    [Fact]
    public async Task Subscriptions_EventsPublishedWhilePubSubDown_ArriveOnceInOrderAfterItReturns()
    {
        using var timeout = TestTimeout.Start(60);
        var ct = timeout.Token;
        await using var redis = await RedisServer.StartAsync();
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, new Dictionary<string, string?> { ["HealthChecks:CacheDuration"] = "00:00:00" });
        // The events are appended by a user of its own, whom the outage below does not touch.
        Assert.Equal("+OK", await redis.RawCommandAsync("ACL", "SETUSER", AppenderUser, "on", ">" + AppenderPassword, "~*", "&*", "+@all"));
        await using var appender = await ConnectionMultiplexer.ConnectAsync($"{RedisServer.Host}:{redis.Port},user={AppenderUser},password={AppenderPassword}");
        var events = new WorkflowEventLog(appender);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        await using var runClient = await hub.ConnectAsync(ct);
        await runClient.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await runClient.ExpectAsync("subscribed", ct);
        await using var sessionClient = await hub.ConnectAsync(ct);
        await sessionClient.SubscribeSessionAsync(sessionId, hub.Tickets.IssueForSession(sessionId), ct);
        await sessionClient.ExpectAsync("subscribed", ct);
        var published = new List<PublishedWorkflowEvent> { await AppendAsync(events, sessionId, runId, 1, ct) };
        var runFrames = await ReceiveEventsAsync(runClient, 1, ct);
        var sessionFrames = await ReceiveEventsAsync(sessionClient, 1, ct);

        // The outage: Redis drops the hub's pub/sub connection when the channel permission goes, and refuses its
        // SUBSCRIBE on every reconnect until it is back. Events appended meanwhile are published to nobody.
        Assert.Equal("+OK", await redis.RawCommandAsync("ACL", "SETUSER", "default", "resetchannels"));
        var listener = hub.Services.GetRequiredService<EventsListener>();
        await PollAsync(() => Task.FromResult(!listener.IsListening), ct);
        await PollAsync(async () => await ReadyStatusAsync(hub, ct) == HttpStatusCode.ServiceUnavailable, ct);
        for (var sequence = 2; sequence <= 4; sequence++)
        {
            published.Add(await AppendAsync(events, sessionId, runId, sequence, ct));
        }

        Assert.Equal("+OK", await redis.RawCommandAsync("ACL", "SETUSER", "default", "allchannels"));
        await PollAsync(() => Task.FromResult(listener.IsListening), ct);
        published.Add(await AppendAsync(events, sessionId, runId, 5, ct));
        runFrames.AddRange(await ReceiveEventsAsync(runClient, 4, ct));
        sessionFrames.AddRange(await ReceiveEventsAsync(sessionClient, 4, ct));
        await PollAsync(async () => await ReadyStatusAsync(hub, ct) == HttpStatusCode.OK, ct);

        Assert.Equal(published.Select(p => p.RunStreamId), runFrames.Select(HubClient.Id));
        Assert.Equal(published.Select(p => p.SessionStreamId), sessionFrames.Select(HubClient.Id));
        Assert.Equal([1L, 2, 3, 4, 5], runFrames.Select(HubClient.Sequence));
        Assert.Equal([1L, 2, 3, 4, 5], sessionFrames.Select(HubClient.Sequence));
        Assert.All(runFrames.Concat(sessionFrames), frame => Assert.Equal(sessionId, frame.GetProperty("sessionId").GetString()));

        // Nothing else was queued for the clients (no duplicate): the next frame of each is the next live event.
        await AppendAsync(events, sessionId, runId, 6, ct);
        Assert.Equal(6, HubClient.Sequence(await runClient.ExpectAsync("event", ct)));
        Assert.Equal(6, HubClient.Sequence(await sessionClient.ExpectAsync("event", ct)));
    }

    [Fact]
    public async Task Subscription_RedisKilledAndRestarted_EventsAppendedBeforeResubscribeArrive()
    {
        using var timeout = TestTimeout.Start(60);
        var ct = timeout.Token;
        await using var redis = await RedisServer.StartAsync();
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ExpectAsync("subscribed", ct);
        var listener = hub.Services.GetRequiredService<EventsListener>();

        await redis.KillAsync();
        await PollAsync(() => Task.FromResult(!listener.IsListening), ct);
        await redis.RestartAsync();
        // Right after the restart (the hub's pub/sub connection may or may not be back yet), then surely after it.
        await using var appender = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",abortConnect=false");
        var events = new WorkflowEventLog(appender);
        var published = new List<PublishedWorkflowEvent>();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            published.Add(await AppendAsync(events, sessionId, runId, sequence, ct));
        }

        await PollAsync(() => Task.FromResult(listener.IsListening), ct);
        published.Add(await AppendAsync(events, sessionId, runId, 4, ct));
        var received = await ReceiveEventsAsync(client, 4, ct);

        Assert.Equal(published.Select(p => p.RunStreamId), received.Select(HubClient.Id));
        Assert.Equal([1L, 2, 3, 4], received.Select(HubClient.Sequence));
    }

    private static async Task<List<JsonElement>> ReceiveEventsAsync(HubClient client, int count, CancellationToken cancellationToken)
    {
        var frames = new List<JsonElement>();
        while (frames.Count < count)
        {
            frames.Add(await client.ExpectAsync("event", cancellationToken));
        }

        return frames;
    }

    private static async Task<PublishedWorkflowEvent> AppendAsync(WorkflowEventLog events, string sessionId, Guid runId, long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await events.AppendAsync(sessionId, TestEvents.Create(runId, sequence), null, cancellationToken);
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                // The appender's connection is still coming back after a restart: try again.
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
    }

    private static async Task<HttpStatusCode> ReadyStatusAsync(HubHost hub, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        using var response = await http.GetAsync(new Uri("/ready", UriKind.Relative), cancellationToken);
        return response.StatusCode;
    }

    private static async Task PollAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
