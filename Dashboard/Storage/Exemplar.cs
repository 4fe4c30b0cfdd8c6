namespace Observability.Dashboard.Storage;

/// <summary>A sampled measurement attached to a data point, linked to the span that made it.</summary>
internal sealed record Exemplar(long TimeUnixNano, double Value, TraceId TraceId, ulong SpanId, TelemetryAttribute[] FilteredAttributes);
