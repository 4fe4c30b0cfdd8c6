using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>Correlation IDs for every request, without any call in the service's own pipeline.</summary>
public static class CorrelationExtensions
{
    /// <summary>
    /// Accepts, replaces or generates the <see cref="CorrelationId.HeaderName"/> of every request, echoes it on the
    /// response and carries it as W3C baggage (<see cref="CorrelationId.BaggageKey"/>) to downstream services. The
    /// span and log attributes are added by the OpenTelemetry defaults, ahead of the exporters.
    /// </summary>
    public static TBuilder AddCorrelationIds<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, CorrelationIdStartupFilter>());
        return builder;
    }
}
