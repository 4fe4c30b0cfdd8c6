using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>Correlation IDs for every request, span and log record, without any call in the service's own pipeline.</summary>
public static class CorrelationExtensions
{
    /// <summary>
    /// Accepts, replaces or generates the <see cref="CorrelationId.HeaderName"/> of every request, echoes it on the
    /// response and carries it as W3C baggage (<see cref="CorrelationId.BaggageKey"/>) to downstream services; adds it
    /// as the attribute <see cref="CorrelationId.BaggageKey"/> to every span and log record (processors added to the
    /// OpenTelemetry providers, ahead of the exporters).
    /// </summary>
    public static TBuilder AddCorrelationIds<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ImplementationType == typeof(CorrelationIdStartupFilter)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, CorrelationIdStartupFilter>());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor<CorrelationIdActivityProcessor>());
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor<CorrelationIdLogProcessor>());
        return builder;
    }
}
