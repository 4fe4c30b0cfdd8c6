namespace Observability.Dashboard.Storage;

/// <summary>A link from a span to a span of another (or the same) trace.</summary>
internal sealed record SpanLink(TraceId TraceId, ulong SpanId, string? TraceState, TelemetryAttribute[] Attributes);
