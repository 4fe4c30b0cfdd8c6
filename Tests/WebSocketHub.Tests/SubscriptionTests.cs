using Observability.TestInfrastructure.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>Subscribe, replay and live delivery against the real hub and Redis: in order, no gap, no duplicate.</summary>
[Trait("Category", "Integration")]
public sealed class SubscriptionTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    [Fact]
    public async Task Subscribe_Run_ReplaysThenStreamsLiveEventsInOrder()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await hub.AppendAsync(sessionId, runId, sequence, ct);
        }

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, subscribed) = await client.ReceiveReplayAsync(ct);
        var live = new List<long>();
        for (var sequence = 4; sequence <= 6; sequence++)
        {
            var published = await hub.AppendAsync(sessionId, runId, sequence, ct);
            var frame = await client.ExpectAsync("event", ct);
            Assert.Equal(published.RunStreamId, HubClient.Id(frame));
            Assert.Equal(sessionId, frame.GetProperty("sessionId").GetString());
            live.Add(HubClient.Sequence(frame));
        }

        Assert.Equal([1L, 2, 3], replayed.Select(HubClient.Sequence));
        Assert.All(replayed, frame => Assert.Equal(runId, frame.GetProperty("runId").GetGuid()));
        Assert.All(replayed, frame => Assert.Equal(sessionId, frame.GetProperty("sessionId").GetString()));
        Assert.Equal(3, subscribed.GetProperty("replayed").GetInt32());
        Assert.Equal(runId, subscribed.GetProperty("runId").GetGuid());
        Assert.Equal([4L, 5, 6], live);
    }

    [Fact]
    public async Task Subscribe_Session_ReceivesEveryRunOfTheSessionInPublishOrder()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var (first, second, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var expected = new List<string>();
        expected.Add((await hub.AppendAsync(sessionId, first, 1, ct)).SessionStreamId);
        expected.Add((await hub.AppendAsync(sessionId, second, 1, ct)).SessionStreamId);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeSessionAsync(sessionId, hub.Tickets.IssueForSession(sessionId), ct);
        var (replayed, subscribed) = await client.ReceiveReplayAsync(ct);
        await hub.AppendAsync(TestEvents.NewSessionId(), other, 1, ct);
        expected.Add((await hub.AppendAsync(sessionId, first, 2, ct)).SessionStreamId);
        expected.Add((await hub.AppendAsync(sessionId, second, 2, ct)).SessionStreamId);
        var live = new[] { await client.ExpectAsync("event", ct), await client.ExpectAsync("event", ct) };

        Assert.Equal(sessionId, subscribed.GetProperty("sessionId").GetString());
        Assert.Equal(2, subscribed.GetProperty("replayed").GetInt32());
        var all = replayed.Concat(live).ToList();
        Assert.Equal(expected, all.Select(HubClient.Id));
        Assert.Equal([first, second, first, second], all.Select(frame => frame.GetProperty("runId").GetGuid()));
        Assert.All(all, frame => Assert.Equal(sessionId, frame.GetProperty("sessionId").GetString()));
    }

    [Fact]
    public async Task Subscribe_ReconnectWithLastEventId_ReplaysOnlyTheMissedEvents()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        var ticket = hub.Tickets.IssueForRun(runId);
        string lastEventId;
        await using (var client = await hub.ConnectAsync(ct))
        {
            await client.SubscribeRunAsync(runId, ticket, ct);
            await client.ExpectAsync("subscribed", ct);
            await hub.AppendAsync(sessionId, runId, 1, ct);
            await hub.AppendAsync(sessionId, runId, 2, ct);
            await client.ExpectAsync("event", ct);
            lastEventId = HubClient.Id(await client.ExpectAsync("event", ct));
            await client.CloseAsync(ct);
        }

        for (var sequence = 3; sequence <= 5; sequence++)
        {
            await hub.AppendAsync(sessionId, runId, sequence, ct);
        }

        await using var again = await hub.ConnectAsync(ct);
        await again.SubscribeRunAsync(runId, ticket, ct, lastEventId);
        var (replayed, subscribed) = await again.ReceiveReplayAsync(ct);
        await hub.AppendAsync(sessionId, runId, 6, ct);
        var live = await again.ExpectAsync("event", ct);

        Assert.Equal([3L, 4, 5], replayed.Select(HubClient.Sequence));
        Assert.Equal(3, subscribed.GetProperty("replayed").GetInt32());
        Assert.Equal(6, HubClient.Sequence(live));
    }

    [Fact]
    public async Task Subscribe_SessionReconnectWithLastEventId_ResumesInTheSessionStream()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await hub.AppendAsync(sessionId, first, 1, ct);
        var seen = await hub.AppendAsync(sessionId, second, 1, ct);
        await hub.AppendAsync(sessionId, first, 2, ct);
        var missed = await hub.AppendAsync(sessionId, second, 2, ct);

        await using var client = await hub.ConnectAsync(ct);
        // The last event id of a session subscription is an id in the session stream, not in a run stream.
        await client.SubscribeSessionAsync(sessionId, hub.Tickets.IssueForSession(sessionId), ct, seen.SessionStreamId);
        var (replayed, subscribed) = await client.ReceiveReplayAsync(ct);

        Assert.Equal(2, subscribed.GetProperty("replayed").GetInt32());
        Assert.Equal([first, second], replayed.Select(frame => frame.GetProperty("runId").GetGuid()));
        Assert.Equal([2L, 2], replayed.Select(HubClient.Sequence));
        Assert.Equal(missed.SessionStreamId, HubClient.Id(replayed[^1]));
    }

    [Fact]
    public async Task Subscribe_WhileEventsArePublished_EveryClientGetsEachEventOnceInOrder()
    {
        using var timeout = TestTimeout.Start(60);
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        const int Total = 400;
        const int Clients = 8;
        var progress = Enumerable.Range(0, Clients).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var producer = Task.Run(async () =>
        {
            for (var sequence = 1; sequence <= Total; sequence++)
            {
                await hub.AppendAsync(sessionId, runId, sequence, ct);
                if (sequence % (Total / Clients) == 0)
                {
                    progress[(sequence / (Total / Clients)) - 1].TrySetResult();
                }
            }
        }, ct);

        // Clients subscribe at staggered points of the stream, each racing the producer: half to the run, half to the session.
        var clients = Enumerable.Range(0, Clients).Select(index => Task.Run(async () =>
        {
            if (index > 0)
            {
                await progress[index - 1].Task.WaitAsync(ct);
            }

            await using var client = await hub.ConnectAsync(ct);
            if (index % 2 == 0)
            {
                await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
            }
            else
            {
                await client.SubscribeSessionAsync(sessionId, hub.Tickets.IssueForSession(sessionId), ct);
            }

            var sequences = new List<long>();
            var subscribedFrames = 0;
            while (sequences.Count < Total)
            {
                var frame = await client.ReceiveAsync(ct);
                if (frame.GetProperty("type").GetString() == "subscribed")
                {
                    subscribedFrames++;
                    continue;
                }

                sequences.Add(HubClient.Sequence(frame));
            }

            return (sequences, subscribedFrames);
        }, ct)).ToArray();

        await producer;
        var results = await Task.WhenAll(clients);

        foreach (var (sequences, subscribedFrames) in results)
        {
            Assert.Equal(1, subscribedFrames);
            Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), sequences);
        }
    }

    [Fact]
    public async Task Subscribe_LastEventIdTrimmedFromStream_SendsTruncatedThenWhatRemains()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = Guid.NewGuid();
        var ids = new List<string>();
        for (var sequence = 1; sequence <= 10; sequence++)
        {
            ids.Add((await hub.AppendAsync(sessionId, runId, sequence, ct)).RunStreamId);
        }

        await redis.Server.RawCommandAsync("XTRIM", Workflows.Messaging.WorkflowStreams.Events(runId), "MAXLEN", "5");
        var ticket = hub.Tickets.IssueForRun(runId);

        await using var behind = await hub.ConnectAsync(ct);
        await behind.SubscribeRunAsync(runId, ticket, ct, lastEventId: ids[1]);
        var truncated = await behind.ExpectAsync("truncated", ct);
        var (replayed, _) = await behind.ReceiveReplayAsync(ct);

        await using var caughtUp = await hub.ConnectAsync(ct);
        await caughtUp.SubscribeRunAsync(runId, ticket, ct, lastEventId: ids[5]);
        var (rest, _) = await caughtUp.ReceiveReplayAsync(ct);

        Assert.Equal(runId, truncated.GetProperty("runId").GetGuid());
        Assert.Equal(ids[5], truncated.GetProperty("firstAvailableId").GetString());
        Assert.Equal([6L, 7, 8, 9, 10], replayed.Select(HubClient.Sequence));
        Assert.Equal([7L, 8, 9, 10], rest.Select(HubClient.Sequence));
    }

    [Fact]
    public async Task Unsubscribe_Run_StopsItsEvents()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var (left, kept) = (Guid.NewGuid(), Guid.NewGuid());
        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(left, hub.Tickets.IssueForRun(left), ct);
        await client.ExpectAsync("subscribed", ct);
        await client.SubscribeRunAsync(kept, hub.Tickets.IssueForRun(kept), ct);
        await client.ExpectAsync("subscribed", ct);

        await client.SendTextAsync($$"""{"type":"unsubscribe","runId":"{{left}}"}""", ct);
        // The hub handles a connection's frames in order: this subscribe is answered after the unsubscribe took effect.
        var probe = Guid.NewGuid();
        await client.SubscribeRunAsync(probe, hub.Tickets.IssueForRun(probe), ct);
        await client.ExpectAsync("subscribed", ct);
        await hub.AppendAsync(sessionId, left, 1, ct);
        await hub.AppendAsync(sessionId, kept, 1, ct);
        var frame = await client.ExpectAsync("event", ct);

        Assert.Equal(kept, frame.GetProperty("runId").GetGuid());
    }
}
