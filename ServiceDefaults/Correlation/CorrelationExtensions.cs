using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>Placeholder owned by the Correlation work item; replaced by the real wiring.</summary>
public static class CorrelationExtensions
{
    /// <summary>Registers the Correlation defaults.</summary>
    public static TBuilder AddCorrelationIds<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
}
