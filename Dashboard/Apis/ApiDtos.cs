namespace Observability.Dashboard.Apis;

// The query API's JSON shapes. Kept together: they are one wire contract, serialized by DashboardJsonContext.

internal sealed record ResourceDto(int Id, string Name, string ServiceName, string? InstanceId, Dictionary<string, string> Attributes,
    int Traces, int Logs, int MetricSeries);

internal sealed record DropsDto(long RejectedItems, long TruncatedValues, long EvictedTraces, long EvictedSpans,
    long DroppedSpansOverTraceCap, long EvictedLogs, long EvictedMetricPoints, long DroppedMetricPoints, long DroppedForResourceCap);

internal sealed record ResourcesResponse(IReadOnlyList<ResourceDto> Resources, DropsDto Drops, long PersistedBytes, bool Unsecured);

internal sealed record TraceSummaryDto(string TraceId, string RootName, string RootService, DateTimeOffset Start, long StartUnixNano,
    double DurationMs, int SpanCount, bool HasError, IReadOnlyList<string> Services);

internal sealed record TraceListResponse(int Total, IReadOnlyList<TraceSummaryDto> Items);

internal sealed record SpanEventDto(string Name, long TimeUnixNano, Dictionary<string, string> Attributes);

internal sealed record SpanLinkDto(string TraceId, string? SpanId, string? TraceState, Dictionary<string, string> Attributes);

/// <summary>A span in depth-first order; <see cref="Depth"/> and <see cref="ChildSpanIds"/> give the tree without recursion.</summary>
internal sealed record SpanNodeDto(string SpanId, string? ParentSpanId, int Depth, IReadOnlyList<string> ChildSpanIds, string Name,
    string Kind, string Service, int ResourceId, string Scope, long StartUnixNano, long EndUnixNano, double DurationMs, string Status,
    string? StatusMessage, Dictionary<string, string> Attributes, IReadOnlyList<SpanEventDto> Events, IReadOnlyList<SpanLinkDto> Links,
    int DroppedCount);

internal sealed record TraceDto(string TraceId, int SpanCount, double DurationMs, bool HasError, IReadOnlyList<SpanNodeDto> Spans);

internal sealed record LogDto(long Sequence, long TimeUnixNano, DateTimeOffset Time, int SeverityNumber, string? SeverityText,
    string Body, string? EventName, Dictionary<string, string> Attributes, string? TraceId, string? SpanId, int ResourceId,
    string Service, string Scope);

internal sealed record LogListResponse(int Total, IReadOnlyList<LogDto> Items);

internal sealed record InstrumentDto(string Name, string? Description, string? Unit, string Kind, string Temporality, bool IsMonotonic,
    string Scope, int SeriesCount);

internal sealed record PointDto(long TimeUnixNano, double? Value, ulong? Count, double? Sum);

internal sealed record SeriesDto(Dictionary<string, string> Attributes, double? Value, IReadOnlyList<PointDto> Points, int ExemplarCount);

internal sealed record SeriesResponse(string Name, string? Unit, string Kind, string Aggregation, long FromUnixNano, long ToUnixNano,
    IReadOnlyList<SeriesDto> Series);

internal sealed record ImportResponse(long Accepted, long Rejected);
