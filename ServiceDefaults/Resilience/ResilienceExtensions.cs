using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The standard resilience pipeline for HTTP clients (rate limiter, total timeout, retry, circuit breaker, attempt
/// timeout) on Polly.Core, named like Microsoft.Extensions.Http.Resilience so code written for Aspire compiles.
/// </summary>
public static class ResilienceExtensions
{
    /// <summary>
    /// Gives every <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/> the standard resilience handler,
    /// configured from <c>HttpClient:Resilience</c> and validated at start-up.
    /// </summary>
    public static TBuilder AddHttpClientResilience<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

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
                    handlers.Name ?? Options.DefaultName,
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
