namespace Observability.ServiceDefaults.Health;

/// <summary>Settings of the <c>/status</c> document, bound from <c>HealthChecks:Status</c>.</summary>
public sealed class StatusEndpointOptions
{
    /// <summary>
    /// <c>HealthChecks:Status:ExposeDetails</c>: whether <c>/status</c> shows each check's description, error
    /// message, duration and tags. Without it, only check names and statuses appear, so no exception text leaks.
    /// Default <see langword="true"/> in the Development environment, <see langword="false"/> in every other.
    /// </summary>
    public bool ExposeDetails { get; set; }
}
