using System.Text.Json;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Workflows.Tests.Messaging;

[Trait("Category", "Integration")]
public sealed class WorkflowEventLogTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly RedisServerFixture _redis;
    private ConnectionMultiplexer? _connection;

    public WorkflowEventLogTests(RedisServerFixture redis) => _redis = redis;

    private ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Not connected.");

    private IDatabase Client => Connection.GetDatabase();

    // Each test bounds its own wait (TestTimeout, 60 s for the 10 MiB event); the client's own 5-s default would fail a
    // correct but slow command instead: a 10 MiB EVAL timed out after 5.9 s on this machine at load average 50.
    public async ValueTask InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true,asyncTimeout=60000");

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task AppendAsync_Event_LandsInRunAndSessionStreamsWithTraceParentAndExpiry()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var sessionId = $"session-{Guid.NewGuid():N}";
        var workflowEvent = NewEvent(Guid.NewGuid(), 1, WorkflowEventType.Planned);
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var published = await log.AppendAsync(sessionId, workflowEvent, traceParent, timeout.Token);

        var runEntries = await Client.StreamRangeAsync(WorkflowStreams.Events(workflowEvent.RunId));
        var sessionEntries = await Client.StreamRangeAsync(WorkflowStreams.SessionEvents(sessionId));
        var runEntry = Assert.Single(runEntries);
        var sessionEntry = Assert.Single(sessionEntries);
        Assert.Equal(published.RunStreamId, runEntry.Id.ToString());
        Assert.Equal(published.SessionStreamId, sessionEntry.Id.ToString());
        Assert.Equal(traceParent, (string?)runEntry[WorkflowStreams.TraceParentField]);
        Assert.Equal(sessionId, (string?)runEntry[WorkflowStreams.SessionField]);
        Assert.Equal(sessionId, (string?)sessionEntry[WorkflowStreams.SessionField]);
        var stored = JsonSerializer.Deserialize((string)runEntry[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent);
        Assert.Equal(workflowEvent.EventId, stored!.EventId);
        Assert.Equal(workflowEvent.Payload!.Value.GetRawText(), stored.Payload!.Value.GetRawText());

        var ttl = await Client.KeyTimeToLiveAsync(WorkflowStreams.Events(workflowEvent.RunId));
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), WorkflowStreams.EventsRetention);
        var sessionTtl = await Client.KeyTimeToLiveAsync(WorkflowStreams.SessionEvents(sessionId));
        Assert.InRange(sessionTtl!.Value, TimeSpan.FromMilliseconds(1), WorkflowStreams.EventsRetention);
    }

    [Fact]
    public async Task AppendAsync_WithoutTraceParent_StoresOnlyTheEvent()
    {
        using var timeout = TestTimeout.Start();
        var workflowEvent = NewEvent(Guid.NewGuid(), 1, WorkflowEventType.Queued);

        var published = await new WorkflowEventLog(Connection).AppendAsync("s", workflowEvent, traceParent: null, timeout.Token);

        var entry = Assert.Single(await Client.StreamRangeAsync(WorkflowStreams.Events(workflowEvent.RunId)));
        Assert.True(entry[WorkflowStreams.TraceParentField].IsNull);
        Assert.Null(published.TraceParent);
    }

    [Fact]
    public async Task AppendAsync_Subscriber_ReceivesPublishedEventWithBothStreamIdsInOrder()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var runId = Guid.NewGuid();
        var sessionId = $"session-{Guid.NewGuid():N}";
        var subscription = await Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));

        var appended = new List<PublishedWorkflowEvent>();
        for (var sequence = 1; sequence <= 20; sequence++)
        {
            appended.Add(await log.AppendAsync(sessionId, NewEvent(runId, sequence, WorkflowEventType.StepStarted), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", timeout.Token));
        }

        var received = new List<PublishedWorkflowEvent>();
        while (received.Count < appended.Count)
        {
            var message = await subscription.ReadAsync(timeout.Token);
            if (WorkflowEventLog.ParsePublished(((ReadOnlyMemory<byte>)message.Message).Span) is { } parsed && parsed.Event.RunId == runId)
            {
                received.Add(parsed);
            }
        }

        Assert.Equal(appended.Select(e => (e.RunStreamId, e.SessionStreamId, e.Event.Sequence)), received.Select(e => (e.RunStreamId, e.SessionStreamId, e.Event.Sequence)));
        Assert.All(received, e => Assert.Equal(sessionId, e.SessionId));
        Assert.All(received, e => Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", e.TraceParent));
        Assert.Equal(appended.Select(e => e.ChannelSequence), received.Select(e => e.ChannelSequence));
        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task AppendAsync_ConsecutivePublications_NumberedOneApart()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var runId = Guid.NewGuid();

        var first = await log.AppendAsync("numbered", NewEvent(runId, 1, WorkflowEventType.Queued), null, timeout.Token);
        var second = await log.AppendAsync("numbered", NewEvent(runId, 2, WorkflowEventType.Planned), null, timeout.Token);

        // Other tests publish on the shared server too: the numbers only grow, by one per publication.
        Assert.True(first.ChannelSequence > 0);
        Assert.True(second.ChannelSequence > first.ChannelSequence);
        Assert.True((long)await Client.StringGetAsync(WorkflowStreams.EventsPublished) >= second.ChannelSequence);
    }

    [Fact]
    public async Task AppendAsync_ServerForgotTheScript_LoadsItAgain()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var runId = Guid.NewGuid();
        await log.AppendAsync("flushed", NewEvent(runId, 1, WorkflowEventType.Queued), null, timeout.Token);

        // As after a restart: the server's script cache is empty, the client still knows the script's SHA.
        await Connection.GetServer(Connection.GetEndPoints()[0]).ScriptFlushAsync();
        var published = await log.AppendAsync("flushed", NewEvent(runId, 2, WorkflowEventType.Planned), null, timeout.Token);

        Assert.Equal(2, (await Client.StreamRangeAsync(WorkflowStreams.Events(runId))).Length);
        Assert.Equal(2, published.Event.Sequence);
    }

    [Fact]
    public async Task AppendAsync_TenMegabyteEvent_StoredAndPublishedWhole()
    {
        using var timeout = TestTimeout.Start(60);
        var log = new WorkflowEventLog(Connection);
        var runId = Guid.NewGuid();
        var text = new string('x', 10 * 1024 * 1024);
        var big = new WorkflowEvent(Guid.CreateVersion7(), runId, 1, WorkflowEventType.LlmCall, DateTimeOffset.UtcNow, JsonSerializer.SerializeToElement(new { text }));
        var subscription = await Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));

        await log.AppendAsync("big", big, null, timeout.Token);

        var stored = JsonSerializer.Deserialize((string)Assert.Single(await Client.StreamRangeAsync(WorkflowStreams.Events(runId)))[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent);
        Assert.Equal(text, stored!.Payload!.Value.GetProperty("text").GetString());
        while (true)
        {
            var message = await subscription.ReadAsync(timeout.Token);
            if (WorkflowEventLog.ParsePublished(((ReadOnlyMemory<byte>)message.Message).Span) is { } parsed && parsed.Event.RunId == runId)
            {
                Assert.Equal(text, parsed.Event.Payload!.Value.GetProperty("text").GetString());
                break;
            }
        }

        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task AppendAsync_ManyEvents_RunStreamStaysBounded()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var runId = Guid.NewGuid();

        for (var sequence = 1; sequence <= WorkflowStreams.MaxEventsPerRun + 500; sequence++)
        {
            await log.AppendAsync("bounded", NewEvent(runId, sequence, WorkflowEventType.LlmCall), null, timeout.Token);
        }

        var length = await Client.StreamLengthAsync(WorkflowStreams.Events(runId));
        Assert.InRange(length, WorkflowStreams.MaxEventsPerRun, WorkflowStreams.MaxEventsPerRun + 200);
    }

    [Fact]
    public async Task AppendAsync_Subscriber_ReceivesTheEventJsonAsStoredInsideTheMessage()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var sessionId = $"session-{Guid.NewGuid():N}";
        var workflowEvent = NewEvent(Guid.NewGuid(), 1, WorkflowEventType.StepStarted);
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var subscription = await Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));

        var published = await log.AppendAsync(sessionId, workflowEvent, traceParent, timeout.Token);

        var message = await ReadMessageAsync(subscription, workflowEvent.RunId, timeout.Token);
        var stored = (string)Assert.Single(await Client.StreamRangeAsync(WorkflowStreams.Events(workflowEvent.RunId)))[WorkflowStreams.EventField]!;
        Assert.Equal(JsonSerializer.Serialize(workflowEvent, WorkflowsJsonContext.Default.WorkflowEvent), stored);
        Assert.Equal(
            $$"""{"runStreamId":"{{published.RunStreamId}}","sessionStreamId":"{{published.SessionStreamId}}","channelSequence":{{published.ChannelSequence}},"sessionId":"{{sessionId}}","traceParent":"{{traceParent}}","event":{{stored}}}""",
            message);
        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task AppendAsync_SessionIdAndTraceParentNeedingEscapes_RoundTripThroughParsePublished()
    {
        // The Gateway accepts only letters, digits and - _ . : in a session id; the log itself takes any text.
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var sessionId = $"quote\"back\\slash/line\nfeed\ttab\u0001\u001f\u007f-é-日本-😀-{Guid.NewGuid():N}";
        const string traceParent = "00-\"odd\\trace\r\n";
        var workflowEvent = NewEvent(Guid.NewGuid(), 1, WorkflowEventType.Queued);
        var subscription = await Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));

        await log.AppendAsync(sessionId, workflowEvent, traceParent, timeout.Token);

        var parsed = WorkflowEventLog.ParsePublished(System.Text.Encoding.UTF8.GetBytes(await ReadMessageAsync(subscription, workflowEvent.RunId, timeout.Token)));
        Assert.NotNull(parsed);
        Assert.Equal(sessionId, parsed.SessionId);
        Assert.Equal(traceParent, parsed.TraceParent);
        Assert.Equal(workflowEvent.EventId, parsed.Event.EventId);
        var entry = Assert.Single(await Client.StreamRangeAsync(WorkflowStreams.SessionEvents(sessionId)));
        Assert.Equal(sessionId, (string?)entry[WorkflowStreams.SessionField]);
        Assert.Equal(traceParent, (string?)entry[WorkflowStreams.TraceParentField]);
        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task AppendBatchAsync_SeveralEvents_AppendedAndPublishedInOrderEachWithItsOwnIds()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Connection);
        var runId = Guid.NewGuid();
        var sessionId = $"session-{Guid.NewGuid():N}";
        WorkflowEvent[] events = [NewEvent(runId, 1, WorkflowEventType.StepCompleted), NewEvent(runId, 2, WorkflowEventType.StepStarted), NewEvent(runId, 3, WorkflowEventType.LlmCall)];
        string?[] traceParents = ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null, "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01"];
        var subscription = await Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));

        await log.AppendBatchAsync(
            sessionId,
            runId,
            [.. events.Select((e, i) => new EncodedWorkflowEvent(e.Type, JsonSerializer.SerializeToUtf8Bytes(e, WorkflowsJsonContext.Default.WorkflowEvent), traceParents[i]))],
            timeout.Token);

        var received = new List<PublishedWorkflowEvent>();
        while (received.Count < events.Length)
        {
            received.Add(WorkflowEventLog.ParsePublished(System.Text.Encoding.UTF8.GetBytes(await ReadMessageAsync(subscription, runId, timeout.Token)))!);
        }

        var runEntries = await Client.StreamRangeAsync(WorkflowStreams.Events(runId));
        var sessionEntries = await Client.StreamRangeAsync(WorkflowStreams.SessionEvents(sessionId));
        Assert.Equal(events.Select(e => e.EventId), received.Select(p => p.Event.EventId));
        Assert.Equal(runEntries.Select(e => e.Id.ToString()), received.Select(p => p.RunStreamId));
        Assert.Equal(sessionEntries.Select(e => e.Id.ToString()), received.Select(p => p.SessionStreamId));
        Assert.Equal(events.Select(e => e.EventId), runEntries.Select(e => JsonSerializer.Deserialize((string)e[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent)!.EventId));
        Assert.Equal(traceParents, received.Select(p => p.TraceParent));
        Assert.Equal(traceParents, runEntries.Select(e => (string?)e[WorkflowStreams.TraceParentField]));
        Assert.Equal(new[] { received[0].ChannelSequence + 1, received[0].ChannelSequence + 2 }, received.Skip(1).Select(p => p.ChannelSequence));
        Assert.All(received, p => Assert.Equal(sessionId, p.SessionId));
        var ttl = await Client.KeyTimeToLiveAsync(WorkflowStreams.Events(runId));
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), WorkflowStreams.EventsRetention);
        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task AppendBatchAsync_NoEvents_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new WorkflowEventLog(Connection).AppendBatchAsync("s", Guid.NewGuid(), [], CancellationToken.None));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"runStreamId\":1}")]
    public void ParsePublished_NotAnEvent_ReturnsNull(string message) =>
        Assert.Null(WorkflowEventLog.ParsePublished(System.Text.Encoding.UTF8.GetBytes(message)));

    /// <summary>The next message on the channel about <paramref name="runId"/> (other tests publish on the same server).</summary>
    private static async Task<string> ReadMessageAsync(ChannelMessageQueue subscription, Guid runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = (string?)(await subscription.ReadAsync(cancellationToken)).Message ?? string.Empty;
            if (WorkflowEventLog.ParsePublished(System.Text.Encoding.UTF8.GetBytes(message))?.Event.RunId == runId)
            {
                return message;
            }
        }
    }

    private static WorkflowEvent NewEvent(Guid runId, long sequence, WorkflowEventType type) =>
        new(Guid.CreateVersion7(), runId, sequence, type, DateTimeOffset.UtcNow, JsonDocument.Parse("""{"step":"s1","tokens":12}""").RootElement.Clone());
}
