namespace Observability.Dashboard.Apis;

/// <summary>The answer of <c>GET /api/traces/{traceId}</c>: the trace's spans in tree order.</summary>
internal sealed record TraceDto(string TraceId, int SpanCount, double DurationMs, bool HasError, IReadOnlyList<SpanNodeDto> Spans);
