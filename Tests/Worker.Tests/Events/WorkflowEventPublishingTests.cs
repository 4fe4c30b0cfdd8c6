using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Monitoring;
using Observability.Worker.Tests.Jobs;
using Observability.Worker.Tests.Llm;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;
using StackExchange.Redis;

namespace Observability.Worker.Tests.Events;

[Collection(TelemetryListeners.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowEventPublishingTests(PostgresServerFixture postgres)
{
    private const string Task = "Research the market for solar panels. Write a summary of the findings";

    [Fact]
    public async Task ExecuteAsync_TracedJob_PublishesEveryEventToRunAndSessionStreamsWithTheRunsTrace()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var traceId = ActivityTraceId.CreateRandom();
        var traceParent = $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync(Task, ct);
        var subscription = await host.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));
        await host.EnqueueAsync(runId, ct, traceParent);
        await host.StartAsync(ct);

        var published = new List<PublishedWorkflowEvent>();
        while (published.Count == 0 || published[^1].Event.Type != WorkflowEventType.Completed)
        {
            var message = (await subscription.ReadAsync(ct)).Message;
            published.Add(WorkflowEventLog.ParsePublished(((ReadOnlyMemory<byte>)message).Span) ?? throw new InvalidOperationException($"Not an event: {message}"));
        }

        Assert.All(published, p => Assert.Equal(runId, p.Event.RunId));
        Assert.All(published, p => Assert.Equal("session-1", p.SessionId));
        Assert.All(published, p => Assert.StartsWith($"00-{traceId.ToHexString()}-", p.TraceParent, StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, published.Count).Select(i => (long)i), published.Select(p => p.Event.Sequence));
        var types = published.Select(p => p.Event.Type).ToHashSet();
        Assert.Superset(
            new HashSet<WorkflowEventType> { WorkflowEventType.Queued, WorkflowEventType.Planned, WorkflowEventType.StepStarted, WorkflowEventType.LlmCall, WorkflowEventType.StepCompleted, WorkflowEventType.Completed },
            types);

        var runStream = await host.Redis.StreamRangeAsync(WorkflowStreams.Events(runId));
        var sessionStream = await host.Redis.StreamRangeAsync(WorkflowStreams.SessionEvents("session-1"));
        Assert.Equal(published.Select(p => p.RunStreamId), runStream.Select(e => (string?)e.Id));
        Assert.Equal(published.Select(p => p.SessionStreamId), sessionStream.Select(e => (string?)e.Id));
        Assert.Equal(published.Select(p => p.Event.EventId), sessionStream.Select(e => JsonSerializer.Deserialize((string)e[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent)!.EventId));
        Assert.All(runStream, e => Assert.StartsWith($"00-{traceId.ToHexString()}-", (string?)e[WorkflowStreams.TraceParentField], StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_EventAppendsFail_RunStillCompletes()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync(Task, ct);

        // The session stream's key holds a string: every append script fails with WRONGTYPE.
        await host.Redis.StringSetAsync(WorkflowStreams.SessionEvents("session-1"), "not a stream");
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        // Not WaitForStatusAsync: it also waits for the Completed event in the run's stream, which no failed append
        // writes. The entry is acknowledged after the run's events were flushed, so every failure is logged by then.
        var run = await Poll.UntilAsync<WorkflowRun?>(token => host.GetRunAsync(runId, token), r => r?.Status == WorkflowRunStatus.Completed, ct, r => $"{r?.Status}");
        await host.WaitForNoPendingAsync(ct);
        Assert.Equal(1, run!.AttemptCount);
        Assert.Empty(await host.Redis.StreamRangeAsync(WorkflowStreams.DeadLetters));
        Assert.False(await host.Redis.KeyExistsAsync(WorkflowStreams.Events(runId)));
        var failed = host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot()
            .Where(r => r.Id.Name == "PublishFailed").Select(r => r.GetStructuredStateValue("Type")).ToList();
        Assert.Equal(nameof(WorkflowEventType.Queued), failed[0]);
        Assert.Equal(nameof(WorkflowEventType.Completed), failed[^1]);
        Assert.Contains(nameof(WorkflowEventType.Planned), failed);
        Assert.Contains(nameof(WorkflowEventType.StepCompleted), failed);
    }

    [Fact]
    public async Task ExecuteAsync_RunExecutedAgain_SequenceContinuesAfterTheStreamsLastEvent()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync(Task, ct);

        // An event already in the run's stream (say the Gateway's Queued event): the worker continues after it.
        var log = new WorkflowEventLog(host.Connection);
        await log.AppendAsync("session-1", new WorkflowEvent(Guid.CreateVersion7(), runId, 1, WorkflowEventType.Queued, DateTimeOffset.UtcNow, null), null, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        var events = await host.GetEventsAsync(runId, ct);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Single(events, e => e.Type == WorkflowEventType.Queued);
        Assert.Equal(WorkflowEventType.Planned, events[1].Type);
    }
}
