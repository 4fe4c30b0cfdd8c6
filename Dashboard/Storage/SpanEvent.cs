namespace Observability.Dashboard.Storage;

/// <summary>A timestamped event inside a span.</summary>
internal sealed record SpanEvent(string Name, long TimeUnixNano, TelemetryAttribute[] Attributes);
