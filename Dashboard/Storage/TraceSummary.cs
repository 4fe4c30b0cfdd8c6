namespace Observability.Dashboard.Storage;

/// <summary>One row of the trace list: a copy, safe to use after the store lock is released.</summary>
internal sealed record TraceSummary(
    TraceId TraceId,
    string RootName,
    string RootService,
    long StartUnixNano,
    long DurationNano,
    int SpanCount,
    bool HasError,
    IReadOnlyList<string> Services);
