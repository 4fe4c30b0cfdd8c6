namespace Observability.Dashboard.Apis;

/// <summary>A span event.</summary>
internal sealed record SpanEventDto(string Name, long TimeUnixNano, Dictionary<string, string> Attributes);
