namespace Observability.ServiceDefaults.Health;

/// <summary>The JSON body of <c>/status</c>.</summary>
internal sealed record HealthStatusDocument(
    string Service,
    string Version,
    string Environment,
    string Status,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    IReadOnlyList<HealthCheckStatus> Checks);
