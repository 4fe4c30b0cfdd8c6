using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Health;

/// <summary>
/// Health checks and the endpoints container platforms probe, mapped in every environment:
/// <c>/alive</c> (liveness: checks tagged <c>live</c>), <c>/ready</c> (readiness: checks tagged <c>ready</c>),
/// <c>/health</c> (every check, Aspire's path) and <c>/status</c> (a JSON summary). Unhealthy answers 503,
/// Healthy and Degraded 200. Reports are cached for <c>HealthChecks:CacheDuration</c> (1 second by default).
/// </summary>
public static class HealthExtensions
{
    /// <summary>The name of the liveness check registered by default.</summary>
    public const string SelfCheckName = "self";

    /// <summary>
    /// Registers what the probe endpoints need: the caching that protects dependencies from frequent probes, the
    /// timeout of checks registered without one, and <see cref="HealthEndpointsOptions"/> (<c>HealthChecks</c>,
    /// validated at start). The checks themselves come from <c>AddDefaultHealthChecks</c> (<c>self</c>, tagged
    /// <c>live</c>) and from the services: register dependency checks with the <c>ready</c> tag,
    /// <c>builder.Services.AddHealthChecks().AddCheck(..., tags: ["ready"])</c>.
    /// </summary>
    public static TBuilder AddHealthEndpoints<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ServiceType == typeof(HealthReportCache)))
        {
            return builder;
        }

        services.AddOptions<HealthEndpointsOptions>()
            .Configure<IHostEnvironment>((options, environment) => options.Status.ExposeDetails = environment.IsDevelopment())
            .BindConfiguration(HealthEndpointsOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthEndpointsOptions>, ValidateHealthEndpointsOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HealthCheckServiceOptions>, CheckTimeoutSetup>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HealthReportCache>();
        services.AddSingleton<ServiceIdentity>();
        services.AddHealthChecks();

        return builder;
    }

    /// <summary>Maps <c>/health</c>, <c>/alive</c>, <c>/ready</c> and <c>/status</c>, kept out of HTTP request logging.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        if (app.Services.GetService<HealthReportCache>() is null)
        {
            throw new InvalidOperationException("Call AddHealthEndpoints (or AddServiceDefaults) on the builder before MapHealthEndpoints.");
        }

        // Uptime counts from here: the application is built and about to start.
        _ = app.Services.GetRequiredService<ServiceIdentity>();

        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        var group = app.MapGroup(string.Empty).WithHttpLogging(HttpLoggingFields.None).ExcludeFromDescription();
        group.MapMethods("/alive", methods, (HttpContext context) => HealthEndpoints.WriteProbeAsync(context, HealthProbe.Live)).WithDisplayName("Liveness probe");
        group.MapMethods("/ready", methods, (HttpContext context) => HealthEndpoints.WriteProbeAsync(context, HealthProbe.Ready)).WithDisplayName("Readiness probe");
        group.MapMethods("/health", methods, (HttpContext context) => HealthEndpoints.WriteProbeAsync(context, HealthProbe.All)).WithDisplayName("Health");
        group.MapMethods("/status", methods, HealthEndpoints.WriteStatusAsync).WithDisplayName("Status");

        return app;
    }
}
