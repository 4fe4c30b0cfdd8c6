using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// The service's OpenTelemetry metrics for Prometheus to scrape, through the OpenTelemetry Prometheus exporter:
/// a pull reader in the host's MeterProvider, rendered on <c>/metrics</c> in the Prometheus text format or in
/// OpenMetrics, as the scraper's <c>Accept</c> header asks.
/// </summary>
public static class PrometheusExtensions
{
    /// <summary>The path of the scraping endpoint.</summary>
    public const string Path = "/metrics";

    /// <summary>
    /// Adds the Prometheus reader to the host's MeterProvider. Its settings (<c>PrometheusAspNetCoreOptions</c>: how
    /// long a scrape is served again, 300 ms by default) bind from <c>Metrics:Prometheus</c>.
    /// </summary>
    public static TBuilder AddPrometheusMetrics<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.Configure<PrometheusAspNetCoreOptions>(builder.Configuration.GetSection("Metrics:Prometheus"));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps the scraping endpoint on <see cref="Path"/>, kept out of HTTP request logging.</summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapPrometheusScrapingEndpoint(Path)
            .WithDisplayName("Prometheus metrics")
            .WithHttpLogging(HttpLoggingFields.None)
            .ExcludeFromDescription();
        return app;
    }
}
