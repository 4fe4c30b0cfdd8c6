using Microsoft.AspNetCore.Builder;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Health;
using Observability.ServiceDefaults.Logging;
using Observability.ServiceDefaults.Masking;
using Observability.ServiceDefaults.Metrics;
using Observability.ServiceDefaults.Resilience;
using Observability.ServiceDefaults.ServiceDiscovery;
using Observability.ServiceDefaults.Telemetry;

// Same namespace as Aspire's ServiceDefaults template, so a service calls AddServiceDefaults() without a using
// and runs unchanged under the real Aspire.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One call wires a service for production: OpenTelemetry (traces, metrics, logs over OTLP), correlation IDs,
/// sensitive-data masking, structured logs, health checks, Prometheus metrics, HTTP resilience and service discovery.
/// </summary>
public static class Extensions
{
    /// <summary>Adds every default to a web service or a worker.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Masking registers its processors first so they run before any exporter sees a span or a log record.
        builder.AddSensitiveDataMasking();
        builder.AddStructuredLogging();
        builder.AddOpenTelemetryDefaults();
        builder.AddCorrelationIds();
        builder.AddPrometheusMetrics();
        builder.AddDefaultHealthChecks();
        // Resilience wraps discovery (as in Aspire), so every retry resolves an endpoint again.
        builder.AddHttpClientResilience();
        builder.AddServiceDiscovery();

        return builder;
    }

    /// <summary>Maps <c>/health</c>, <c>/alive</c>, <c>/ready</c>, <c>/status</c> and <c>/metrics</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthEndpoints();
        app.MapPrometheusMetrics();

        return app;
    }
}
