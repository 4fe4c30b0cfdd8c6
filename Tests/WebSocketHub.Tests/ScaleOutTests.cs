using Observability.TestInfrastructure.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>Hub instances side by side on one Redis: each client gets every event whatever instance it is on.</summary>
[Trait("Category", "Integration")]
public sealed class ScaleOutTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    [Fact]
    public async Task Publish_TwoHubInstances_ClientOnEachGetsEveryEvent()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var first = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        await using var second = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        await using var onFirst = await first.ConnectAsync(ct);
        await using var onSecond = await second.ConnectAsync(ct);
        // A ticket issued by one instance is good on every other (one shared key).
        await onFirst.SubscribeRunAsync(runId, second.Tickets.IssueForRun(runId), ct);
        await onSecond.SubscribeSessionAsync(sessionId, first.Tickets.IssueForSession(sessionId), ct);
        await onFirst.ExpectAsync("subscribed", ct);
        await onSecond.ExpectAsync("subscribed", ct);

        for (var sequence = 1; sequence <= 20; sequence++)
        {
            await first.AppendAsync(sessionId, runId, sequence, ct);
        }

        var received = new List<long>[2];
        var clients = new[] { onFirst, onSecond };
        for (var i = 0; i < clients.Length; i++)
        {
            received[i] = [];
            for (var n = 0; n < 20; n++)
            {
                received[i].Add(HubClient.Sequence(await clients[i].ExpectAsync("event", ct)));
            }
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received[0]);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received[1]);
    }
}
