using System.Diagnostics;
using Observability.EndToEnd.Tests.Harness;
using Observability.TestInfrastructure.Otlp;

namespace Observability.EndToEnd.Tests;

/// <summary>
/// One trace, started by the client's <c>traceparent</c>, spans the gateway request, the outbox relay, the worker and
/// the hub's delivery: asserted on the spans each service really exported over OTLP.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TraceTests(PlatformFixture fixture)
{
    private static readonly TimeSpan SpanTimeout = TimeSpan.FromSeconds(30);

    private const string RedisSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    [Fact]
    public async Task Submit_ClientTraceParent_OneTraceSpansGatewayRelayWorkerAndHub()
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);
        var otlp = platform.Otlp!;
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var clientSpanId = ActivitySpanId.CreateRandom().ToHexString();

        // Subscribed to the session before the submit, so every event of the run reaches the client live (a run
        // subscription opened after a fast run would get them all from the replay, which has no delivery span).
        var sessionId = $"trace-{Guid.NewGuid():N}";
        var (eventsUrl, ticket) = await platform.Api.SessionTicketAsync(sessionId, timeout.Token);
        await using var hub = await HubClient.SubscribeSessionAsync(eventsUrl, sessionId, ticket, timeout.Token);
        var run = await platform.Api.SubmitAsync("plan a product launch checklist", timeout.Token, $"00-{traceId}-{clientSpanId}-01", sessionId);
        var events = await hub.ReceiveEventsUntilAsync(f => f.EventType is "Completed" or "Failed" or "Cancelled", timeout.Token);
        Assert.Equal("Completed", events[^1].EventType);
        Assert.Equal(traceId, run.TraceId);

        var request = await SpanAsync(otlp, traceId, "gateway", s => s.Kind == OtlpSpanKind.Server && s.ParentSpanId == clientSpanId, timeout.Token);
        var publish = await SpanAsync(otlp, traceId, "gateway", s => s.Name == "workflows.jobs publish" && s.Kind == OtlpSpanKind.Producer, timeout.Token);
        var process = await SpanAsync(otlp, traceId, "worker", s => s.Name == "workflows.jobs process" && s.Kind == OtlpSpanKind.Consumer, timeout.Token);
        var workflowRun = await SpanAsync(otlp, traceId, "worker", s => s.Name == "workflow.run", timeout.Token);
        await SpanAsync(otlp, traceId, "worker", s => s.Name == "workflow.plan", timeout.Token);
        await SpanAsync(otlp, traceId, "worker", s => s.Name.StartsWith("workflow.step ", StringComparison.Ordinal), timeout.Token);
        await SpanAsync(otlp, traceId, "worker", s => s.Kind == OtlpSpanKind.Client && s.Attributes.ContainsKey("gen_ai.operation.name"), timeout.Token);
        var delivery = await SpanAsync(otlp, traceId, "websockethub", s => s.Name == "workflows.events process", timeout.Token);

        // The worker's Redis commands (OpenTelemetry's StackExchange.Redis instrumentation): the event appends are client spans of
        // the run's trace, named by the command (EVAL for the prepared script's EVALSHA), never carrying a key.
        var append = await SpanAsync(otlp, traceId, "worker", s => s.Scope.Name == RedisSource && s.Name == "EVAL", timeout.Token);
        Assert.Equal(OtlpSpanKind.Client, append.Kind);
        Assert.Equal("redis", append.GetString("db.system"));
        Assert.All(append.Attributes.Values, value => Assert.DoesNotContain(run.RunId.ToString("N"), $"{value}", StringComparison.OrdinalIgnoreCase));

        // The hops are parent-child links across processes, not merely the same id.
        Assert.Equal("POST", request.GetString("http.request.method"));
        await ParentFromAsync(otlp, publish, "gateway", timeout.Token);
        await ParentFromAsync(otlp, process, "gateway", timeout.Token);
        Assert.Equal(process.SpanId, workflowRun.ParentSpanId);
        await ParentFromAsync(otlp, delivery, "worker", timeout.Token);

        var byService = otlp.Spans.Where(s => s.TraceId == traceId).GroupBy(s => s.Resource.ServiceName ?? "?")
            .ToDictionary(g => g.Key, g => g.Select(s => s.Name).ToArray());
        Assert.Superset(new HashSet<string>(["gateway", "worker", "websockethub"]), byService.Keys.ToHashSet());

        // Commands sent outside any trace (the workers' polls, the hub's listener, the reconcilers) ran long before the
        // run's spans were drained and exported with them, yet none is exported as a trace of its own.
        Assert.DoesNotContain(otlp.Spans, s => s.Scope.Name == RedisSource && string.IsNullOrEmpty(s.ParentSpanId));
    }

    private static Task<OtlpSpan> SpanAsync(
        OtlpCaptureReceiver otlp, string traceId, string service, Func<OtlpSpan, bool> predicate, CancellationToken cancellationToken) =>
        otlp.WaitForSpanAsync(s => s.TraceId == traceId && s.Resource.ServiceName == service && predicate(s), SpanTimeout, cancellationToken);

    /// <summary>The span's parent is a span that <paramref name="service"/> exported in the same trace.</summary>
    private static Task<OtlpSpan> ParentFromAsync(OtlpCaptureReceiver otlp, OtlpSpan child, string service, CancellationToken cancellationToken)
    {
        Assert.False(string.IsNullOrEmpty(child.ParentSpanId), $"{child} has no parent.");
        return SpanAsync(otlp, child.TraceId, service, s => s.SpanId == child.ParentSpanId, cancellationToken);
    }
}
