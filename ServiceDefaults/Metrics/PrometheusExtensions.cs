using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// Exposes the service's OpenTelemetry metrics for Prometheus to scrape: a pull reader in the host's
/// MeterProvider, rendered on <c>/metrics</c> in the Prometheus text format or OpenMetrics.
/// </summary>
public static class PrometheusExtensions
{
    /// <summary>
    /// Registers the Prometheus pull reader in the host's MeterProvider (through
    /// <c>ConfigureOpenTelemetryMeterProvider</c>) and its options (<c>Metrics:Prometheus</c>, validated at start).
    /// </summary>
    public static TBuilder AddPrometheusMetrics<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(PrometheusScraper)))
        {
            return builder;
        }

        services.AddOptions<PrometheusMetricsOptions>().BindConfiguration(PrometheusMetricsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrometheusMetricsOptions>, PrometheusMetricsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PrometheusScraper>();
        services.ConfigureOpenTelemetryMeterProvider(metrics =>
            metrics.AddReader(serviceProvider => serviceProvider.GetRequiredService<PrometheusScraper>().CreateReader()));

        return builder;
    }

    /// <summary>Maps the scraping endpoint (<c>/metrics</c> unless <c>Metrics:Prometheus:Path</c> says otherwise).</summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var options = app.Services.GetService<IOptions<PrometheusMetricsOptions>>()
            ?? throw new InvalidOperationException("Call AddPrometheusMetrics (or AddServiceDefaults) on the builder before MapPrometheusMetrics.");
        app.MapGet(options.Value.Path, PrometheusEndpoint.HandleAsync)
            .WithDisplayName("Prometheus metrics")
            .WithHttpLogging(HttpLoggingFields.None)
            .ExcludeFromDescription();

        return app;
    }
}
