using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Correlation;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry traces, metrics and logs for a web service or a worker, exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (see <see cref="TelemetryOptions"/> for every variable honoured).
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>
    /// Adds host-owned tracer, meter and logger providers: created when the host starts, flushed and shut down when it
    /// stops. Other features extend them through <c>services.ConfigureOpenTelemetryTracerProvider</c>,
    /// <c>ConfigureOpenTelemetryMeterProvider</c> and <c>ConfigureOpenTelemetryLoggerProvider</c>; registrations made
    /// before this call are applied before the OTLP exporters are added, so their processors see every item first.
    /// </summary>
    public static TBuilder AddOpenTelemetryDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(TelemetrySettings)))
        {
            return builder;
        }

        services.AddOptions<TelemetryOptions>()
            .Configure<IConfiguration>((options, configuration) => configuration.Bind(options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton(CreateSettings);

        builder.Logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.IncludeScopes = true;
        });

        var openTelemetry = new OpenTelemetryServicesBuilder(services);
        openTelemetry.WithTracing();
        openTelemetry.WithMetrics();
        services.ConfigureOpenTelemetryTracerProvider(ConfigureTracing);
        services.ConfigureOpenTelemetryMeterProvider(ConfigureMetrics);
        services.ConfigureOpenTelemetryLoggerProvider(ConfigureLogging);

        services.AddHostedService<TelemetryLifetimeService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, HttpServerSpanStartupFilter>());
        return builder;
    }

    private static TelemetrySettings CreateSettings(IServiceProvider services)
    {
        // IOptions.Value runs the validator, so an invalid variable fails here with its name even before start.
        var options = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var applicationName = services.GetRequiredService<IHostEnvironment>().ApplicationName;
        return TelemetrySettings.Parse(options, applicationName, new List<string>());
    }

    private static void ConfigureTracing(IServiceProvider services, TracerProviderBuilder tracing)
    {
        var settings = services.GetRequiredService<TelemetrySettings>();
        tracing.ConfigureResource(resource => ConfigureResource(resource, settings))
            .AddSource(TelemetrySources.ActivitySources)
            .AddSource(services.GetRequiredService<IHostEnvironment>().ApplicationName)
            .SetSampler(settings.CreateSampler())
            .AddProcessor(new CorrelationIdActivityProcessor())
            .AddProcessor(new HttpClientSpanProcessor());
        if (settings.Endpoint is not null)
        {
            tracing.AddProcessor(OtlpExporterFactory.CreateSpanProcessor(settings));
        }
    }

    private static void ConfigureMetrics(IServiceProvider services, MeterProviderBuilder metrics)
    {
        var settings = services.GetRequiredService<TelemetrySettings>();
        metrics.ConfigureResource(resource => ConfigureResource(resource, settings))
            .AddMeter(TelemetrySources.Meters)
            .AddMeter(services.GetRequiredService<IHostEnvironment>().ApplicationName);
        if (settings.Endpoint is not null)
        {
            metrics.AddReader(OtlpExporterFactory.CreateMetricReader(settings));
        }
    }

    private static void ConfigureLogging(IServiceProvider services, LoggerProviderBuilder logging)
    {
        var settings = services.GetRequiredService<TelemetrySettings>();
        logging.ConfigureResource(resource => ConfigureResource(resource, settings))
            .AddProcessor(new CorrelationIdLogProcessor());
        if (settings.Endpoint is not null)
        {
            logging.AddProcessor(OtlpExporterFactory.CreateLogProcessor(settings));
        }
    }

    private static void ConfigureResource(ResourceBuilder resource, TelemetrySettings settings) =>
        resource
            .AddService(settings.ServiceName, serviceInstanceId: settings.ServiceInstanceId, autoGenerateServiceInstanceId: false)
            .AddAttributes(settings.ResourceAttributes);
}
