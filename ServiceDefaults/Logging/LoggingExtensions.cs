using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Logging;

/// <summary>Placeholder owned by the Logging work item; replaced by the real wiring.</summary>
public static class LoggingExtensions
{
    /// <summary>Registers the Logging defaults.</summary>
    public static TBuilder AddStructuredLogging<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
}
