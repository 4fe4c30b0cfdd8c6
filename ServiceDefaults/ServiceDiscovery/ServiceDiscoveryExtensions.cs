using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Service discovery as Aspire injects it: <c>http://gateway</c>, <c>https+http://gateway</c> and
/// <c>http://_dashboard.gateway</c> resolve from <c>services:gateway:...</c> configuration.
/// </summary>
public static class ServiceDiscoveryExtensions
{
    /// <summary>
    /// Gives every <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/> service discovery. Called after
    /// <c>AddHttpClientResilience</c>, discovery is the inner handler, so every retry resolves an endpoint again.
    /// </summary>
    public static TBuilder AddServiceDiscovery<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        return builder;
    }
}
