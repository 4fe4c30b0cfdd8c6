using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>Placeholder owned by the Telemetry work item; replaced by the real wiring.</summary>
public static class TelemetryExtensions
{
    /// <summary>Registers the Telemetry defaults.</summary>
    public static TBuilder AddOpenTelemetryDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
}
