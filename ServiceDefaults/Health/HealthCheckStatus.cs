namespace Observability.ServiceDefaults.Health;

/// <summary>
/// One check in <c>/status</c>. Everything but the name and status is filled only when
/// <see cref="StatusEndpointOptions.ExposeDetails"/> allows it (null members are left out of the JSON).
/// </summary>
internal sealed record HealthCheckStatus(
    string Name,
    string Status,
    double? DurationMilliseconds = null,
    string? Description = null,
    string? Error = null,
    IReadOnlyList<string>? Tags = null);
