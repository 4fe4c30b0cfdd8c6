namespace Observability.Dashboard.Apis;

/// <summary>A span in depth-first order; <see cref="Depth"/> and <see cref="ChildSpanIds"/> give the tree without recursion.</summary>
internal sealed record SpanNodeDto(string SpanId, string? ParentSpanId, int Depth, IReadOnlyList<string> ChildSpanIds, string Name,
    string Kind, string Service, int ResourceId, string Scope, long StartUnixNano, long EndUnixNano, double DurationMs, string Status,
    string? StatusMessage, Dictionary<string, string> Attributes, IReadOnlyList<SpanEventDto> Events, IReadOnlyList<SpanLinkDto> Links,
    int DroppedCount);
