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

    public async ValueTask InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");

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

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"runStreamId\":1}")]
    public void ParsePublished_NotAnEvent_ReturnsNull(string message) =>
        Assert.Null(WorkflowEventLog.ParsePublished(System.Text.Encoding.UTF8.GetBytes(message)));

    private static WorkflowEvent NewEvent(Guid runId, long sequence, WorkflowEventType type) =>
        new(Guid.CreateVersion7(), runId, sequence, type, DateTimeOffset.UtcNow, JsonDocument.Parse("""{"step":"s1","tokens":12}""").RootElement.Clone());
}
