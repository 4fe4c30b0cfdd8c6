using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Tests;

/// <summary>The hub's one pub/sub subscription comes back by itself after Redis restarts; open connections keep working.</summary>
[Trait("Category", "Integration")]
public sealed class RedisRestartTests(WorkflowsDatabaseFixture database)
{
    [Fact]
    public async Task Deliver_AfterRedisRestartWithoutData_TruncatedThenLiveEventsFlowAgain()
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
        await hub.AppendAsync(sessionId, runId, 1, ct);
        await client.ExpectAsync("event", ct);

        await redis.KillAsync();
        await redis.RestartAsync();
        // Pub/sub is at-most-once: publish only once the hub's subscription is back on the new server.
        while (!await IsSubscribedAsync(redis))
        {
            ct.ThrowIfCancellationRequested();
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        await AppendWhenReachableAsync(hub, sessionId, runId, 2, ct);

        // The restarted server lost the run's stream (event 1 with it): the client is told before what follows (once
        // per re-sync that finds the gap: the re-established subscription and the reset publication counter may each
        // trigger one).
        var truncated = await client.ExpectAsync("truncated", ct);
        Assert.Equal(runId, truncated.GetProperty("runId").GetGuid());
        var frame = await client.ExpectAsync(["truncated", "event"], "event", ct);

        Assert.Equal(2, HubClient.Sequence(frame));
    }

    /// <summary>Whether anyone listens on the events channel (a probe the hub ignores as not an event).</summary>
    private static async Task<bool> IsSubscribedAsync(RedisServer redis) =>
        await redis.RawCommandAsync("PUBLISH", WorkflowStreams.EventsChannel, "probe") != ":0";

    private static async Task AppendWhenReachableAsync(HubHost hub, string sessionId, Guid runId, long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await hub.AppendAsync(sessionId, runId, sequence, cancellationToken);
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The client's shared connection is still reconnecting: try again.
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
    }
}
