using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Events;
using Observability.Worker.Monitoring;
using Observability.Worker.Tests.Jobs;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Tests.Events;

[Trait("Category", "Integration")]
public sealed class RunEventStreamTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Publish_EventsWhileAnAppendIsInFlight_GoOutTogetherInOrderEachWithItsOwnIdsAndSequence()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(host.Server.ConnectionString + ",allowAdmin=true");
        var events = host.Services.GetRequiredService<WorkflowEventPublisher>().Open(Guid.CreateVersion7(), "session-1", lastEvent: null);
        var subscription = await host.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel));
        const int count = 1 + (2 * RunEventStream.MaxEventsPerAppend) + 5;
        var callsBefore = await ScriptCallsAsync(admin);

        await PublishWhileTheFirstAppendWaitsAsync(admin, events, count, ct);

        // One call for the first event, then the 69 that waited for it, at most MaxEventsPerAppend per call.
        Assert.Equal(1 + 3, await ScriptCallsAsync(admin) - callsBefore);
        var stored = await host.GetEventsAsync(events.RunId, ct);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), stored.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, count), stored.Select(e => e.Payload!.Value.GetProperty("i").GetInt32()));
        var runStreamIds = (await host.Redis.StreamRangeAsync(WorkflowStreams.Events(events.RunId))).Select(e => e.Id.ToString()).ToList();
        Assert.Equal(count, runStreamIds.Distinct().Count());

        var published = new List<PublishedWorkflowEvent>();
        while (published.Count < count)
        {
            published.Add(WorkflowEventLog.ParsePublished(((ReadOnlyMemory<byte>)(await subscription.ReadAsync(ct)).Message).Span)!);
        }

        Assert.Equal(runStreamIds, published.Select(p => p.RunStreamId));
        Assert.Equal(stored.Select(e => e.EventId), published.Select(p => p.Event.EventId));
        Assert.Equal(Enumerable.Range(0, count).Select(i => published[0].ChannelSequence + i), published.Select(p => p.ChannelSequence));
    }

    [Fact]
    public async Task Publish_AppendsFailWhileEventsWait_EachEventLoggedAndCountedOnceNothingAppendedAndFlushCompletes()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(host.Server.ConnectionString + ",allowAdmin=true");
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<WorkerTelemetry>().EventPublishFailures);
        var events = host.Services.GetRequiredService<WorkflowEventPublisher>().Open(Guid.CreateVersion7(), "session-1", lastEvent: null);
        const int count = 1 + (2 * RunEventStream.MaxEventsPerAppend) + 5;

        // The session stream's key holds a string: every append script fails with WRONGTYPE, after the run stream's check.
        await host.Redis.StringSetAsync(WorkflowStreams.SessionEvents("session-1"), "not a stream");
        var callsBefore = await ScriptCallsAsync(admin);
        await PublishWhileTheFirstAppendWaitsAsync(admin, events, count, ct);

        // Grouped as when the appends succeed, and a failed call wrote nothing: not the first of its events either.
        Assert.Equal(1 + 3, await ScriptCallsAsync(admin) - callsBefore);
        Assert.False(await host.Redis.KeyExistsAsync(WorkflowStreams.Events(events.RunId)));
        Assert.False(await host.Redis.KeyExistsAsync(WorkflowStreams.EventsPublished));
        Assert.Equal("not a stream", (string?)await host.Redis.StringGetAsync(WorkflowStreams.SessionEvents("session-1")));

        // Every event's failure logged and counted once, in the order published.
        var logged = host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Where(r => r.Id.Name == "PublishFailed").ToList();
        Assert.Equal(
            Enumerable.Range(1, count).Select(i => (i % 2 == 0 ? WorkflowEventType.StepStarted : WorkflowEventType.StepCompleted).ToString()),
            logged.Select(r => r.GetStructuredStateValue("Type")));
        Assert.All(logged, r => Assert.Equal(events.RunId.ToString(), r.GetStructuredStateValue("RunId")));
        Assert.All(logged, r => Assert.Contains("WRONGTYPE", r.Exception?.Message, StringComparison.Ordinal));
        Assert.Equal(count, failures.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Publish_FromParallelSteps_EveryEventInTheStreamInSequenceOrder()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var events = host.Services.GetRequiredService<WorkflowEventPublisher>().Open(Guid.CreateVersion7(), "session-1", lastEvent: null);

        await Parallel.ForAsync(0, 8, ct, async (step, token) =>
        {
            for (var i = 0; i < 50; i++)
            {
                events.Publish(WorkflowEventType.LlmCall, new Numbered(step, i), span: null);
                if (i % 10 == 0)
                {
                    await Task.Yield();
                }
            }
        });
        await events.FlushAsync().WaitAsync(ct);

        var stored = await host.GetEventsAsync(events.RunId, ct);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), stored.Select(e => e.Sequence));
        Assert.All(Enumerable.Range(0, 8), step => Assert.Equal(
            Enumerable.Range(0, 50),
            stored.Where(e => e.Payload!.Value.GetProperty("step").GetInt32() == step).Select(e => e.Payload!.Value.GetProperty("i").GetInt32())));
    }

    /// <summary>
    /// Publishes events 1..<paramref name="count"/> (alternately StepCompleted and StepStarted, payload <c>{"i": n}</c>)
    /// while Redis holds writes (<c>CLIENT PAUSE … WRITE</c>, scripts included), so the first append stays in flight while
    /// the others are published; then lets Redis go and waits for the stream's flush.
    /// </summary>
    private static async Task PublishWhileTheFirstAppendWaitsAsync(ConnectionMultiplexer admin, RunEventStream events, int count, CancellationToken ct)
    {
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "30000", "WRITE");
        for (var i = 1; i <= count; i++)
        {
            events.Publish(i % 2 == 0 ? WorkflowEventType.StepStarted : WorkflowEventType.StepCompleted, new Numbered(null, i), span: null);
        }

        await admin.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");
        await events.FlushAsync().WaitAsync(ct);
    }

    /// <summary>A test event's payload: <c>{"step": s, "i": n}</c>, or <c>{"i": n}</c> without a step.</summary>
    private readonly record struct Numbered(int? Step, int I) : IWorkflowEventPayload
    {
        public void WriteProperties(Utf8JsonWriter writer)
        {
            if (Step is { } step)
            {
                writer.WriteNumber("step", step);
            }

            writer.WriteNumber("i", I);
        }
    }

    /// <summary>Script calls the server executed so far (<c>INFO commandstats</c>: EVALSHA and EVAL).</summary>
    private static async Task<long> ScriptCallsAsync(ConnectionMultiplexer admin)
    {
        var info = await admin.GetServer(admin.GetEndPoints()[0]).InfoAsync("commandstats");
        return info.SelectMany(section => section)
            .Where(pair => pair.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
