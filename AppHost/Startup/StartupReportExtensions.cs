using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Observability.AppHost.Startup;

/// <summary>Prints one console line once every resource is healthy, with the time since the AppHost started.</summary>
internal static partial class StartupReportExtensions
{
    /// <summary>
    /// Watches <see cref="ResourceReadyEvent"/> (raised once a resource is running and its health checks pass) for every
    /// resource that starts with the application (not parameters, not the dashboard, not those started on demand such as
    /// Aspire's hidden per-project rebuilders), and logs "All N resources healthy after X s" when the last one is.
    /// </summary>
    public static IDistributedApplicationBuilder WithStartupReport(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var resources = @event.Model.Resources
                .Where(r => r is not ParameterResource
                    && r.Name != "aspire-dashboard"
                    && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any()).ToList();
            var remaining = resources.Count;
            foreach (var resource in resources)
            {
                builder.Eventing.Subscribe<ResourceReadyEvent>(resource, (ready, _) =>
                {
                    if (Interlocked.Decrement(ref remaining) == 0)
                    {
                        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
                        var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Observability.AppHost");
                        AllHealthy(logger, resources.Count, elapsed.TotalSeconds);
                    }

                    return Task.CompletedTask;
                });
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    [LoggerMessage(1, LogLevel.Information, "All {Count} resources healthy after {Seconds:0.00} s.")]
    private static partial void AllHealthy(ILogger logger, int count, double seconds);
}
