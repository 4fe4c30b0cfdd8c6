namespace Observability.Dashboard.Apis;

/// <summary>One row of the trace list.</summary>
internal sealed record TraceSummaryDto(string TraceId, string RootName, string RootService, DateTimeOffset Start, long StartUnixNano,
    double DurationMs, int SpanCount, bool HasError, IReadOnlyList<string> Services);
