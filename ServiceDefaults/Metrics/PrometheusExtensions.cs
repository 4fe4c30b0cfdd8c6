using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>Placeholder owned by the Metrics work item; replaced by the real wiring.</summary>
public static class PrometheusExtensions
{
    /// <summary>Registers the Metrics defaults.</summary>
    public static TBuilder AddPrometheusMetrics<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
    /// <summary>Maps the Prometheus scraping endpoint.</summary>
    public static WebApplication MapPrometheusMetrics(this WebApplication app) => app;
}
