using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Health;

/// <summary>Gives every health check registered without a timeout the <see cref="HealthEndpointsOptions.CheckTimeout"/>.</summary>
internal sealed class CheckTimeoutSetup : IPostConfigureOptions<HealthCheckServiceOptions>
{
    private readonly IOptions<HealthEndpointsOptions> _options;

    public CheckTimeoutSetup(IOptions<HealthEndpointsOptions> options) => _options = options;

    public void PostConfigure(string? name, HealthCheckServiceOptions options)
    {
        var timeout = _options.Value.CheckTimeout;
        foreach (var registration in options.Registrations)
        {
            if (registration.Timeout == Timeout.InfiniteTimeSpan || registration.Timeout <= TimeSpan.Zero)
            {
                registration.Timeout = timeout;
            }
        }
    }
}
