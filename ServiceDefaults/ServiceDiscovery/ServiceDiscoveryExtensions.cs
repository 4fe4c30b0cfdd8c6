using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>Placeholder owned by the ServiceDiscovery work item; replaced by the real wiring.</summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers the ServiceDiscovery defaults.</summary>
    public static TBuilder AddServiceDiscovery<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
}
