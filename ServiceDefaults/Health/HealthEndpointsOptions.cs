using System.ComponentModel.DataAnnotations;

namespace Observability.ServiceDefaults.Health;

/// <summary>Settings of <c>/health</c>, <c>/alive</c>, <c>/ready</c> and <c>/status</c>, bound from <c>HealthChecks</c>.</summary>
public sealed class HealthEndpointsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "HealthChecks";

    /// <summary>
    /// <c>HealthChecks:CacheDuration</c>: how long a health report is reused by further probes, so frequent probes
    /// cannot overload a dependency. Default 1 second; <see cref="TimeSpan.Zero"/> evaluates on every probe.
    /// Concurrent probes always share one evaluation in flight whatever this value. Between 0 and 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>HealthChecks:CheckTimeout</c>: the timeout given to every registered check that has none of its own; a
    /// check that takes longer is reported Unhealthy instead of holding the probe. Default 5 seconds.
    /// Between 1 millisecond and 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Settings of the <c>/status</c> document (<c>HealthChecks:Status</c>).</summary>
    [Required(ErrorMessage = "HealthChecks:Status must not be null.")]
    public StatusEndpointOptions Status { get; set; } = new();
}
