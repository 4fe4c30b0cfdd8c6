using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.Hosting.Health;

/// <summary>Asks one replica whether it is ready to serve (run until healthy, then continuously).</summary>
internal interface IHealthProbe
{
    /// <summary>A short description of what is probed (shown in reasons).</summary>
    string Description { get; }

    Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken);
}
