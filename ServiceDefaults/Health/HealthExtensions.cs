using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Health;

/// <summary>Placeholder owned by the Health work item; replaced by the real wiring.</summary>
public static class HealthExtensions
{
    /// <summary>Registers the Health defaults.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
    /// <summary>Maps the health endpoints.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app) => app;
}
