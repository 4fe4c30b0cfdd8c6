using System.Text.Json;
using Observability.Redis;
using Observability.Redis.Configuration;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Messaging;

namespace Observability.Workflows.Tests.Messaging;

[Trait("Category", "Integration")]
public sealed class WorkflowEventLogTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly RedisServerFixture _redis;
    private RedisClient? _client;

    public WorkflowEventLogTests(RedisServerFixture redis) => _redis = redis;

    private RedisClient Client => _client ?? throw new InvalidOperationException("Not connected.");

    public async ValueTask InitializeAsync()
    {
        var options = RedisClientOptions.Parse(_redis.ConnectionString);
        options.ServerStatsInterval = TimeSpan.Zero;
        _client = new RedisClient(options);
        using var timeout = TestTimeout.Start(10);
        await _client.ConnectAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    [Fact]
    public async Task AppendAsync_Event_LandsInRunAndSessionStreamsWithTraceParentAndExpiry()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Client);
        var sessionId = $"session-{Guid.NewGuid():N}";
        var workflowEvent = NewEvent(Guid.NewGuid(), 1, WorkflowEventType.Planned);
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var published = await log.AppendAsync(sessionId, workflowEvent, traceParent, timeout.Token);

        var runEntries = await Client.XRangeAsync(WorkflowStreams.Events(workflowEvent.RunId), cancellationToken: timeout.Token);
        var sessionEntries = await Client.XRangeAsync(WorkflowStreams.SessionEvents(sessionId), cancellationToken: timeout.Token);
        var runEntry = Assert.Single(runEntries);
        var sessionEntry = Assert.Single(sessionEntries);
        Assert.Equal(published.RunStreamId, runEntry.Id);
        Assert.Equal(published.SessionStreamId, sessionEntry.Id);
        Assert.Equal(traceParent, runEntry[WorkflowStreams.TraceParentField]);
        Assert.Equal(sessionId, runEntry[WorkflowStreams.SessionField]);
        Assert.Equal(sessionId, sessionEntry[WorkflowStreams.SessionField]);
        var stored = JsonSerializer.Deserialize(runEntry[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent);
        Assert.Equal(workflowEvent.EventId, stored!.EventId);
        Assert.Equal(workflowEvent.Payload!.Value.GetRawText(), stored.Payload!.Value.GetRawText());

        var ttl = await Client.ExecuteAsync("PTTL", [WorkflowStreams.Events(workflowEvent.RunId)], timeout.Token);
        Assert.InRange(ttl.AsInt64(), 1, (long)WorkflowStreams.EventsRetention.TotalMilliseconds);
        var sessionTtl = await Client.ExecuteAsync("PTTL", [WorkflowStreams.SessionEvents(sessionId)], timeout.Token);
        Assert.InRange(sessionTtl.AsInt64(), 1, (long)WorkflowStreams.EventsRetention.TotalMilliseconds);
    }

    [Fact]
    public async Task AppendAsync_WithoutTraceParent_StoresOnlyTheEvent()
    {
        using var timeout = TestTimeout.Start();
        var workflowEvent = NewEvent(Guid.NewGuid(), 1, WorkflowEventType.Queued);

        var published = await new WorkflowEventLog(Client).AppendAsync("s", workflowEvent, traceParent: null, timeout.Token);

        var entry = Assert.Single(await Client.XRangeAsync(WorkflowStreams.Events(workflowEvent.RunId), cancellationToken: timeout.Token));
        Assert.Null(entry[WorkflowStreams.TraceParentField]);
        Assert.Null(published.TraceParent);
    }

    [Fact]
    public async Task AppendAsync_Subscriber_ReceivesPublishedEventWithBothStreamIdsInOrder()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Client);
        var runId = Guid.NewGuid();
        var sessionId = $"session-{Guid.NewGuid():N}";
        await using var subscription = await Client.SubscribeAsync(WorkflowStreams.EventsChannel, timeout.Token);

        var appended = new List<PublishedWorkflowEvent>();
        for (var sequence = 1; sequence <= 20; sequence++)
        {
            appended.Add(await log.AppendAsync(sessionId, NewEvent(runId, sequence, WorkflowEventType.StepStarted), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", timeout.Token));
        }

        var received = new List<PublishedWorkflowEvent>();
        while (received.Count < appended.Count)
        {
            var message = await subscription.Messages.ReadAsync(timeout.Token);
            if (WorkflowEventLog.ParsePublished(message.Payload.Span) is { } parsed && parsed.Event.RunId == runId)
            {
                received.Add(parsed);
            }
        }

        Assert.Equal(appended.Select(e => (e.RunStreamId, e.SessionStreamId, e.Event.Sequence)), received.Select(e => (e.RunStreamId, e.SessionStreamId, e.Event.Sequence)));
        Assert.All(received, e => Assert.Equal(sessionId, e.SessionId));
        Assert.All(received, e => Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", e.TraceParent));
    }

    [Fact]
    public async Task AppendAsync_ManyEvents_RunStreamStaysBounded()
    {
        using var timeout = TestTimeout.Start();
        var log = new WorkflowEventLog(Client);
        var runId = Guid.NewGuid();

        for (var sequence = 1; sequence <= WorkflowStreams.MaxEventsPerRun + 500; sequence++)
        {
            await log.AppendAsync("bounded", NewEvent(runId, sequence, WorkflowEventType.LlmCall), null, timeout.Token);
        }

        var length = await Client.XLenAsync(WorkflowStreams.Events(runId), timeout.Token);
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
