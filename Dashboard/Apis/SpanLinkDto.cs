namespace Observability.Dashboard.Apis;

/// <summary>A span link.</summary>
internal sealed record SpanLinkDto(string TraceId, string? SpanId, string? TraceState, Dictionary<string, string> Attributes);
