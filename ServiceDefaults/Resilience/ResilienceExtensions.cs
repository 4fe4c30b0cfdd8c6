using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>Placeholder owned by the Resilience work item; replaced by the real wiring.</summary>
public static class ResilienceExtensions
{
    /// <summary>Registers the Resilience defaults.</summary>
    public static TBuilder AddHttpClientResilience<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
}
