using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Observability.ServiceDefaults.ServiceDiscovery;

// Microsoft's namespace, as Microsoft.Extensions.ServiceDiscovery uses, so code written for Aspire
// (builder.Services.AddServiceDiscovery(), http.AddServiceDiscovery()) compiles without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers service discovery and adds it to one <see cref="IHttpClientBuilder"/>.</summary>
public static class ServiceDiscoveryServiceCollectionExtensions
{
    /// <summary>Registers the configuration-based endpoint resolver.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ServiceEndpointResolver>();
        return services;
    }

    /// <summary>
    /// Adds the service discovery handler to one client (or, from <c>ConfigureHttpClientDefaults</c>, to all); a
    /// client that already has it keeps a single one.
    /// </summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddServiceDiscovery();
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            if (!handlers.AdditionalHandlers.Any(handler => handler is ServiceDiscoveryHandler))
            {
                handlers.AdditionalHandlers.Add(new ServiceDiscoveryHandler(handlers.Services.GetRequiredService<ServiceEndpointResolver>()));
            }
        }));
        return builder;
    }
}
