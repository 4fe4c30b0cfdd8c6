using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.Configuration;
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
/// <remarks>
/// On by default, for the monitoring stack of monitoring/ (Prometheus rules, Grafana dashboards). A deployment that
/// takes its metrics over OTLP only can turn it off with <c>Metrics:Prometheus:Enabled=false</c>: the second metric
/// reader then goes too, which every measurement otherwise pays for (about 2–3 µs of CPU per HTTP request,
/// docs/benchmarks.md, issue #12).
/// </remarks>
public static class PrometheusExtensions
{
    /// <summary>The path of the scraping endpoint.</summary>
    public const string Path = "/metrics";

    /// <summary>The configuration section of the exporter's settings and of <c>Enabled</c>.</summary>
    public const string SectionName = "Metrics:Prometheus";

    /// <summary>Whether the reader and <see cref="Path"/> are on: <c>Metrics:Prometheus:Enabled</c>, true by default.</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue($"{SectionName}:Enabled", defaultValue: true);
    }

    /// <summary>
    /// Adds the Prometheus reader to the host's MeterProvider unless <c>Metrics:Prometheus:Enabled</c> is false. Its
    /// settings (<c>PrometheusAspNetCoreOptions</c>: how long a scrape is served again, 300 ms by default) bind from
    /// <c>Metrics:Prometheus</c>.
    /// </summary>
    public static TBuilder AddPrometheusMetrics<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IsEnabled(builder.Configuration))
        {
            return builder;
        }

        builder.Services.Configure<PrometheusAspNetCoreOptions>(builder.Configuration.GetSection(SectionName));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Maps the scraping endpoint on <see cref="Path"/>, kept out of HTTP request logging; nothing when
    /// <c>Metrics:Prometheus:Enabled</c> is false (the path then answers 404).
    /// </summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        app.MapPrometheusScrapingEndpoint(Path)
            .WithDisplayName("Prometheus metrics")
            .WithHttpLogging(HttpLoggingFields.None)
            .ExcludeFromDescription();
        return app;
    }
}
