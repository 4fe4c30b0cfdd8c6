namespace Observability.Gateway.Apis;

/// <summary>A run's trace id and its page in the dashboard (null when no dashboard is configured).</summary>
internal sealed record RunTraceLink(Guid RunId, string? TraceId, string? TraceUrl);
