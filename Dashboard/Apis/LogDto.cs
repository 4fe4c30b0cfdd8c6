namespace Observability.Dashboard.Apis;

/// <summary>One structured log record.</summary>
internal sealed record LogDto(long Sequence, long TimeUnixNano, DateTimeOffset Time, int SeverityNumber, string? SeverityText,
    string Body, string? EventName, Dictionary<string, string> Attributes, string? TraceId, string? SpanId, int ResourceId,
    string Service, string Scope);
