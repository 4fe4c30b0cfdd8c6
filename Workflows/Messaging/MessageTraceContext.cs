using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Observability.Workflows.Messaging;

/// <summary>
/// The one place where a queue hop's W3C trace context is written and read: the outbox relay, the job consumer and
/// re-enqueuer, the event log's publisher and the hub's deliverer all go through OpenTelemetry's
/// <see cref="Propagators.DefaultTextMapPropagator"/> (W3C <c>traceparent</c> + <c>baggage</c>, set by the
/// OpenTelemetry SDK that ServiceDefaults starts), so a message carries what an HTTP request would.
/// </summary>
public static class MessageTraceContext
{
    private const string TraceParentHeader = "traceparent";
    private const string BaggageHeader = "baggage";

    /// <summary>What the SDK sets as the default when no SDK has started in this process (the API's default is a no-op).</summary>
    private static readonly CompositeTextMapPropagator W3C = new([new TraceContextPropagator(), new BaggagePropagator()]);

    /// <summary>The process's propagator (<see cref="Propagators.DefaultTextMapPropagator"/>), or the W3C pair while it is the API's no-op.</summary>
    private static TextMapPropagator Propagator => Propagators.DefaultTextMapPropagator is { Fields.Count: > 0 } configured ? configured : W3C;

    /// <summary>The <c>traceparent</c> and <c>baggage</c> of <paramref name="span"/> (and the current baggage); nulls outside any span.</summary>
    public static (string? TraceParent, string? Baggage) Inject(Activity? span)
    {
        if (span is null)
        {
            return (null, null);
        }

        var carrier = new Carrier();
        Propagator.Inject(new PropagationContext(span.Context, Baggage.Current), carrier, static (c, key, value) => c.Set(key, value));
        return (carrier.TraceParent, carrier.Baggage);
    }

    /// <summary>The <c>traceparent</c> of <paramref name="span"/>; null outside any span.</summary>
    public static string? TraceParentOf(Activity? span) => Inject(span).TraceParent;

    /// <summary>
    /// The remote parent and baggage a message carries; a default context when <paramref name="traceParent"/> is
    /// missing or malformed (the consumer then starts a new trace).
    /// </summary>
    public static PropagationContext Extract(string? traceParent, string? baggage)
    {
        if (string.IsNullOrEmpty(traceParent) && string.IsNullOrEmpty(baggage))
        {
            return default;
        }

        var carrier = new Carrier { TraceParent = NullIfEmpty(traceParent), Baggage = NullIfEmpty(baggage) };
        return Propagator.Extract(default, carrier, static (c, key) => c.Get(key));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class Carrier
    {
        public string? TraceParent { get; set; }

        public string? Baggage { get; set; }

        public void Set(string key, string value)
        {
            if (string.Equals(key, TraceParentHeader, StringComparison.OrdinalIgnoreCase))
            {
                TraceParent = value;
            }
            else if (string.Equals(key, BaggageHeader, StringComparison.OrdinalIgnoreCase))
            {
                Baggage = value;
            }
        }

        public string[]? Get(string key) =>
            string.Equals(key, TraceParentHeader, StringComparison.OrdinalIgnoreCase) ? Single(TraceParent)
            : string.Equals(key, BaggageHeader, StringComparison.OrdinalIgnoreCase) ? Single(Baggage)
            : null;

        private static string[]? Single(string? value) => value is null ? null : [value];
    }
}
