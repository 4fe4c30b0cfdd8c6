using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Health;
using Observability.ServiceDefaults.Logging;
using Observability.ServiceDefaults.Masking;
using Observability.ServiceDefaults.Metrics;
using Observability.ServiceDefaults.Resilience;
using Observability.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Aspire's ServiceDefaults template, with the few things that are ours added (correlation IDs, masking, JSON console
// logs, /ready, /status, /metrics). Same namespace as the template, so a service calls AddServiceDefaults() without a
// using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Adds the common services every service of the solution uses: OpenTelemetry, health checks, service discovery and
/// HTTP resilience (Aspire's defaults), plus correlation IDs, masking of secrets, JSON console logs and Prometheus.
/// </summary>
public static class Extensions
{
    /// <summary>Adds every default to a web service or a worker.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        var configuration = builder.Configuration;
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default; POST, PATCH and the like are retried only with an Idempotency-Key.
            http.AddStandardResilienceHandler(options =>
            {
                HttpResilienceSettings.Bind(configuration, http.Name, options);
                options.Retry.DisableForUnsafeHttpMethodsWithoutIdempotencyKey();
            });

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// OpenTelemetry traces, metrics and logs: the ASP.NET Core, HttpClient and runtime instrumentation, our own
    /// sources, correlation IDs and masking ahead of the exporters, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set, and a Prometheus scraping endpoint.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddStructuredLogging();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var applicationName = builder.Environment.ApplicationName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => ServiceResource.AddDefaultServiceName(resource, builder.Configuration, applicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(applicationName)
                    .AddMeter(TelemetrySources.Meters);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(applicationName)
                    .AddSource(TelemetrySources.ActivitySources)
                    .AddAspNetCoreInstrumentation(tracing =>
                    {
                        // Exclude probe and scrape requests from tracing
                        tracing.Filter = context => !HealthPaths.IsMatch(context.Request.Path);
                        // An exception that fails a request is an event of its server span (masked like the rest)
                        tracing.RecordException = true;
                        tracing.EnrichWithHttpResponse = HandledExceptions.Enrich;
                    })
                    .AddHttpClientInstrumentation();
            });

        // Processors run in registration order and the OTLP exporter always last, so spans and log records get their
        // correlation ID, then lose their secrets, before anything is exported; Redis commands sent outside any trace
        // are not exported at all.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new ParentlessRedisSpanFilter()));
        builder.AddCorrelationIds();
        builder.AddSensitiveDataMasking();
        builder.AddPrometheusMetrics();

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        if (useOtlpExporter)
        {
            SpanExportQueue.SetDefaultSize(builder.Configuration);
            builder.Services.AddOpenTelemetry().UseOtlpExporter();

            // The exporters would take their HttpClient from IHttpClientFactory, which gives it the resilience and
            // discovery handlers of ConfigureHttpClientDefaults and is disposed before their final flush at shutdown.
            builder.Services.ConfigureAll<OtlpExporterOptions>(options =>
                options.HttpClientFactory = () => new HttpClient { Timeout = TimeSpan.FromMilliseconds(options.TimeoutMilliseconds) });
        }

        return builder;
    }

    /// <summary>
    /// Health checks with a <c>self</c> check tagged <c>live</c>, and the caching and settings of our probe endpoints
    /// (<c>HealthChecks</c>). Register dependency checks with the <c>ready</c> tag.
    /// </summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            // Add a default liveness check to ensure app is responsive
            .AddCheck(HealthExtensions.SelfCheckName, () => HealthCheckResult.Healthy(), [HealthTags.Live]);

        builder.AddHealthEndpoints();

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c>, <c>/alive</c>, <c>/ready</c>, <c>/status</c> and <c>/metrics</c>, in every environment
    /// (container platforms probe them in production; <c>/status</c> shows check details only in Development).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthEndpoints();
        app.MapPrometheusMetrics();

        return app;
    }
}
