using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Tests;

/// <summary>
/// PostgreSQL is the truth: a follower whose run lost events (its stream is missing, or no longer starts at the run's
/// first event) gets a <c>truncated</c> frame with the run's current state read from the real database, also when it
/// subscribes for the first time, so nobody waits in silence on a run that already ended; a follower that lost
/// nothing is not told anything.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunStateTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    /// <summary>Long enough for a test to append the awaited event before the hub looks again, on a loaded machine.</summary>
    private static readonly TimeSpan LagTolerance = TimeSpan.FromSeconds(3);

    /// <summary>An event lag of <paramref name="tolerance"/> and frequent heartbeats (to tell when it has passed).</summary>
    private static Dictionary<string, string?> Lag(TimeSpan tolerance) => new()
    {
        ["WebSocketHub:EventLagTolerance"] = tolerance.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["WebSocketHub:HeartbeatInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task Subscribe_NewFollowerOfFinishedRunWhoseStreamIsGone_TruncatedWithTheRunsState()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var runId = await database.AddRunAsync(TestEvents.NewSessionId(), "Completed", attempt: 1, steps: 3, completedSteps: 3, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var truncated = await client.ExpectAsync("truncated", ct);
        var (replayed, subscribed) = await client.ReceiveReplayAsync(ct);

        Assert.Equal(runId, truncated.GetProperty("runId").GetGuid());
        Assert.Equal(string.Empty, truncated.GetProperty("firstAvailableId").GetString());
        var run = truncated.GetProperty("run");
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("final").GetBoolean());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Equal(3, run.GetProperty("stepsCompleted").GetInt64());
        Assert.Equal(3, run.GetProperty("steps").GetInt64());
        Assert.Equal(JsonValueKind.String, run.GetProperty("completedAt").ValueKind);
        Assert.Empty(replayed);
        Assert.Equal(0, subscribed.GetProperty("replayed").GetInt32());
    }

    [Theory]
    [InlineData("Running", 1)]
    [InlineData("Queued", 1)] // set back to Queued by the reconciliation after Redis lost its data
    [InlineData("Cancelled", 0)]
    public async Task Subscribe_NewFollowerOfStartedOrEndedRunWithoutStream_Truncated(string status, int attempt)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var runId = await database.AddRunAsync(TestEvents.NewSessionId(), status, attempt, steps: 2, completedSteps: 1, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var run = (await client.ExpectAsync("truncated", ct)).GetProperty("run");
        await client.ExpectAsync("subscribed", ct);

        Assert.Equal(status, run.GetProperty("status").GetString());
        Assert.Equal(status == "Cancelled", run.GetProperty("final").GetBoolean());
        Assert.Equal(1, run.GetProperty("stepsCompleted").GetInt64());
    }

    [Fact]
    public async Task Subscribe_NewFollowerOfRunNeverStarted_SubscribedWithoutTruncated()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Queued", attempt: 0, steps: 0, completedSteps: 0, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);
        var live = await client.ExpectAsync("event", ct);

        Assert.Empty(replayed);
        Assert.Equal(1, HubClient.Sequence(live));
    }

    [Fact]
    public async Task Subscribe_NewFollowerOfWholeStream_ReplaysWithoutTruncated()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Running", attempt: 2, steps: 2, completedSteps: 1, ct);
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);
        await hub.AppendAsync(sessionId, runId, 2, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, subscribed) = await client.ReceiveReplayAsync(ct);

        Assert.Equal([1L, 2], replayed.Select(HubClient.Sequence));
        Assert.Equal(2, subscribed.GetProperty("replayed").GetInt32());
    }

    [Fact]
    public async Task Subscribe_NewFollowerOfStreamStartingAfterTheFirstEvent_TruncatedThenWhatRemains()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Running", attempt: 1, steps: 4, completedSteps: 2, ct);
        // Events 1 and 2 were lost with Redis's data; the worker went on numbering into a new stream.
        var first = await hub.AppendAsync(sessionId, runId, 3, ct);
        await hub.AppendAsync(sessionId, runId, 4, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var truncated = await client.ExpectAsync("truncated", ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);

        Assert.Equal(first.RunStreamId, truncated.GetProperty("firstAvailableId").GetString());
        Assert.Equal("Running", truncated.GetProperty("run").GetProperty("status").GetString());
        Assert.False(truncated.GetProperty("run").GetProperty("final").GetBoolean());
        Assert.Equal([3L, 4], replayed.Select(HubClient.Sequence));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(null)]
    public async Task Subscribe_NewFollowerOfStreamRestartedByALaterAttemptThatResumed_Truncated(bool? resumed)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Completed", attempt: 2, steps: 2, completedSteps: 2, ct);
        // Attempt 1 planned the run and its events were lost; attempt 2 found the stream empty and numbered from 1 again
        // (null: a worker that did not yet say whether it resumed).
        var first = await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 2, resumed), null, ct);
        await hub.AppendAsync(sessionId, runId, 2, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var truncated = await client.ExpectAsync("truncated", ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);

        Assert.Equal(first.RunStreamId, truncated.GetProperty("firstAvailableId").GetString());
        Assert.Equal(2, truncated.GetProperty("run").GetProperty("attempt").GetInt32());
        Assert.Equal([1L, 2], replayed.Select(HubClient.Sequence));
    }

    [Fact]
    public async Task Subscribe_NewFollowerOfStreamStartedAfreshByALaterAttempt_WholeStreamWithoutTruncated()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Completed", attempt: 2, steps: 2, completedSteps: 2, ct);
        // Attempt 1's replica was killed between the start and its first append; attempt 2 started the run afresh.
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 2, resumed: false), null, ct);
        await hub.AppendAsync(sessionId, runId, 2, ct);
        await hub.Events.AppendAsync(sessionId, TestEvents.Of(runId, 3, WorkflowEventType.Completed), null, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);

        Assert.Equal([1L, 2, 3], replayed.Select(HubClient.Sequence));
    }

    [Fact]
    public async Task Subscribe_RunEndedButItsFinalEventWasNeverAppended_TruncatedThenTheStream()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Completed", attempt: 1, steps: 1, completedSteps: 1, ct);
        // The worker's append of Completed failed while Redis was unreachable; the stream itself shows no gap.
        var first = await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);
        await hub.AppendAsync(sessionId, runId, 2, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var truncated = await client.ExpectAsync("truncated", ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);

        Assert.Equal(first.RunStreamId, truncated.GetProperty("firstAvailableId").GetString());
        Assert.True(truncated.GetProperty("run").GetProperty("final").GetBoolean());
        Assert.Equal([1L, 2], replayed.Select(HubClient.Sequence));
    }

    [Fact]
    public async Task Subscribe_RunEndedJustNowWithoutItsFinalEvent_TruncatedOnceTheEventLagHasPassed()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        // The hub's clock stands still at the run's end until the test moves it: however long the steps below take on a
        // busy machine, the hub sees the run as having ended just now.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Failed", attempt: 1, steps: 2, completedSteps: 1, ct, changedAgo: TimeSpan.Zero);
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Lag(TimeSpan.FromSeconds(2)), clock);
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);
        await hub.AppendAsync(sessionId, runId, 2, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);
        // The final event may still be on its way: the hub looks again after EventLagTolerance, and it never comes.
        var truncated = await WhileClockRunsAsync(clock, () => client.ExpectAsync(["heartbeat", "truncated"], "truncated", ct), ct);

        Assert.Equal([1L, 2], replayed.Select(HubClient.Sequence));
        Assert.Equal("Failed", truncated.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(string.Empty, truncated.GetProperty("firstAvailableId").GetString());
    }

    [Fact]
    public async Task Subscribe_RunEndedJustNowAndItsFinalEventArrives_NoTruncated()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var ended = clock.GetUtcNow();
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Completed", attempt: 1, steps: 1, completedSteps: 1, ct, changedAgo: TimeSpan.Zero);
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Lag(LagTolerance), clock);
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ReceiveReplayAsync(ct);
        await hub.Events.AppendAsync(sessionId, TestEvents.Of(runId, 2, WorkflowEventType.Completed), null, ct);
        var frames = await WhileClockRunsAsync(clock, () => ReceiveUntilHeartbeatAfterAsync(client, ended + LagTolerance + TimeSpan.FromSeconds(1), ct), ct);

        Assert.Equal(["event"], frames.Select(f => f.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Subscribe_RunJustStartedWithoutStream_NoTruncatedAndItsFirstEventFollows()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var started = clock.GetUtcNow();
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Running", attempt: 1, steps: 0, completedSteps: 0, ct, changedAgo: TimeSpan.Zero);
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Lag(LagTolerance), clock);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);
        var frames = await WhileClockRunsAsync(clock, () => ReceiveUntilHeartbeatAfterAsync(client, started + LagTolerance + TimeSpan.FromSeconds(1), ct), ct);

        Assert.Empty(replayed);
        Assert.Equal(["event"], frames.Select(f => f.GetProperty("type").GetString()));
        Assert.Equal(1, HubClient.Sequence(frames[0]));
    }

    [Fact]
    public async Task Subscribe_RunJustStartedWhoseStreamNeverComes_TruncatedOnceTheEventLagHasPassed()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var runId = await database.AddRunAsync(TestEvents.NewSessionId(), "Running", attempt: 1, steps: 0, completedSteps: 0, ct, changedAgo: TimeSpan.Zero);
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Lag(TimeSpan.FromSeconds(2)), clock);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ReceiveReplayAsync(ct);
        var truncated = await WhileClockRunsAsync(clock, () => client.ExpectAsync(["heartbeat", "truncated"], "truncated", ct), ct);

        Assert.Equal("Running", truncated.GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Subscribe_EndedRunWithItsWholeStream_ReplaysWithoutTruncated()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        var runId = await database.AddRunAsync(sessionId, "Completed", attempt: 1, steps: 1, completedSteps: 1, ct);
        await hub.Events.AppendAsync(sessionId, TestEvents.Queued(runId, 1, attempt: 1), null, ct);
        await hub.AppendAsync(sessionId, runId, 2, ct);
        var last = await hub.Events.AppendAsync(sessionId, TestEvents.Of(runId, 3, WorkflowEventType.Completed), null, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);
        await using var reconnected = await hub.ConnectAsync(ct);
        await reconnected.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct, lastEventId: last.RunStreamId);
        var (after, subscribed) = await reconnected.ReceiveReplayAsync(ct);

        Assert.Equal([1L, 2, 3], replayed.Select(HubClient.Sequence));
        Assert.Empty(after);
        Assert.Equal(0, subscribed.GetProperty("replayed").GetInt32());
    }

    [Fact]
    public async Task Subscribe_LastEventIdOfALostStream_TruncatedCarriesTheRunsState()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var runId = await database.AddRunAsync(TestEvents.NewSessionId(), "Failed", attempt: 1, steps: 2, completedSteps: 1, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct, lastEventId: "1700000000000-0");
        var truncated = await client.ExpectAsync("truncated", ct);

        Assert.Equal("Failed", truncated.GetProperty("run").GetProperty("status").GetString());
        Assert.True(truncated.GetProperty("run").GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task Subscribe_LastEventIdOfAnUnknownRun_TruncatedWithoutRunState()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var runId = Guid.NewGuid();

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct, lastEventId: "1700000000000-0");
        var truncated = await client.ExpectAsync("truncated", ct);

        Assert.False(truncated.TryGetProperty("run", out _), truncated.ToString());
    }

    [Fact]
    public async Task Subscribe_SessionWhoseStreamIsGone_TruncatedCarriesTheSessionsRunsByStatus()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var sessionId = TestEvents.NewSessionId();
        await database.AddRunAsync(sessionId, "Completed", 1, 1, 1, ct);
        await database.AddRunAsync(sessionId, "Completed", 1, 1, 1, ct);
        await database.AddRunAsync(sessionId, "Running", 1, 1, 0, ct);
        await database.AddRunAsync(sessionId, "Queued", 0, 0, 0, ct);

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeSessionAsync(sessionId, hub.Tickets.IssueForSession(sessionId), ct, lastEventId: "1700000000000-0");
        var truncated = await client.ExpectAsync("truncated", ct);

        Assert.Equal(sessionId, truncated.GetProperty("sessionId").GetString());
        Assert.False(truncated.TryGetProperty("run", out _));
        var session = truncated.GetProperty("session");
        Assert.Equal(4, session.GetProperty("runs").GetInt64());
        Assert.Equal(2, session.GetProperty("active").GetInt64());
        Assert.Equal(
            new Dictionary<string, long> { ["Completed"] = 2, ["Queued"] = 1, ["Running"] = 1 },
            session.GetProperty("statuses").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }

    [Fact]
    public async Task DataSource_OfTheHub_RefusesWrites()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var dataSource = hub.Services.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("UPDATE workflow_runs SET status = status");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(ct));

        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);
    }

    [Fact]
    public async Task Subscribe_PostgresUnreachable_UnavailableWhenTheStateIsNeededAndStreamingGoesOn()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        // A port nobody listens on: every connection attempt is refused at once.
        var unreachable = $"Host=127.0.0.1;Port={LoopbackPort.GetFree()};Database=workflows;Username=postgres;Timeout=2";
        await using var hub = HubHost.Start(redis.ConnectionString, unreachable);
        var sessionId = TestEvents.NewSessionId();
        var whole = Guid.NewGuid();
        await hub.AppendAsync(sessionId, whole, 1, ct);
        var lost = Guid.NewGuid();

        await using var client = await hub.ConnectAsync(ct);
        await client.SubscribeRunAsync(lost, hub.Tickets.IssueForRun(lost), ct);
        var error = await client.ExpectAsync("error", ct);
        await client.SubscribeRunAsync(whole, hub.Tickets.IssueForRun(whole), ct);
        var (replayed, _) = await client.ReceiveReplayAsync(ct);
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        using var ready = await http.GetAsync(new Uri("/ready", UriKind.Relative), ct);
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), ct);

        Assert.Equal("unavailable", error.GetProperty("code").GetString());
        Assert.Equal(lost, error.GetProperty("runId").GetGuid());
        Assert.Equal([1L], replayed.Select(HubClient.Sequence));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    /// <summary>
    /// The frames other than heartbeats until a heartbeat stamped at or after <paramref name="until"/>: frames leave the
    /// hub in order, so anything it sent by then (such as a re-check's <c>truncated</c>) is among them.
    /// </summary>
    private static async Task<List<JsonElement>> ReceiveUntilHeartbeatAfterAsync(HubClient client, DateTimeOffset until, CancellationToken ct)
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await client.ReceiveAnyAsync(ct) ?? throw new InvalidOperationException("The hub closed the connection.");
            if (frame.GetProperty("type").GetString() != "heartbeat")
            {
                frames.Add(frame);
            }
            else if (frame.GetProperty("timestamp").GetDateTimeOffset() >= until)
            {
                return frames;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="clock"/> (the hub's) ten times faster than real time while <paramref name="action"/> waits
    /// for frames, so the hub's rechecks and heartbeats fire whenever they were scheduled. Until then the clock stood
    /// still: however long the test's steps took on a busy machine, the hub saw a run changed "just now".
    /// </summary>
    private static async Task<T> WhileClockRunsAsync<T>(FakeTimeProvider clock, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = RunAsync(stop.Token);
        try
        {
            return await action();
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        async Task RunAsync(CancellationToken token)
        {
            using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            try
            {
                while (await ticks.WaitForNextTickAsync(token))
                {
                    clock.Advance(TimeSpan.FromMilliseconds(100));
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
        }
    }
}
