using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Resilience;

// Microsoft's namespace, as Microsoft.Extensions.Http.Resilience uses, so code written for Aspire
// (http.AddStandardResilienceHandler()) compiles without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the standard resilience handler to one <see cref="IHttpClientBuilder"/>.</summary>
public static class ResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the standard resilience handler to one client (or, from <c>ConfigureHttpClientDefaults</c>, to all).
    /// A client that already has it (for example from <c>AddServiceDefaults</c>) keeps a single handler and only
    /// takes <paramref name="configure"/>, which runs after the configuration binding.
    /// </summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder,
        Action<HttpResilienceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddCore(services);

        if (configure is not null)
        {
            services.Configure(builder.Name, configure);
        }

        if (builder.Name is not null)
        {
            services.AddOptions<HttpResilienceOptions>(builder.Name).ValidateOnStart();
        }

        services.Configure<HttpClientFactoryOptions>(builder.Name, options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            if (!handlers.AdditionalHandlers.Any(handler => handler is ResilienceHandler))
            {
                handlers.AdditionalHandlers.Add(new ResilienceHandler(
                    handlers.Name ?? Microsoft.Extensions.Options.Options.DefaultName,
                    handlers.Services.GetRequiredService<HttpResiliencePipelineProvider>()));
            }
        }));

        return builder;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResilienceMetrics>();
        services.TryAddSingleton<HttpResiliencePipelineProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpResilienceOptions>, HttpResilienceOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpResilienceOptions>, HttpResilienceOptionsValidator>());
        services.AddOptions<HttpResilienceOptions>().ValidateOnStart();
    }
}
