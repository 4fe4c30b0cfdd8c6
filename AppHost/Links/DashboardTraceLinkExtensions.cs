using Microsoft.Extensions.DependencyInjection;

namespace Observability.AppHost.Links;

/// <summary>Gives a service the Aspire dashboard's address, so the trace links it returns open the dashboard's trace page.</summary>
internal static class DashboardTraceLinkExtensions
{
    /// <summary>The name Aspire gives the dashboard resource it adds in run mode.</summary>
    private const string DashboardResourceName = "aspire-dashboard";

    /// <summary>
    /// Sets <c>Gateway__DashboardUrl</c> to the dashboard's browser address (the AppHost's first <c>ASPNETCORE_URLS</c>
    /// entry, from the launch profile) when the dashboard runs; unset otherwise (published, or tests without it).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDashboardTraceLinks(this IResourceBuilder<ProjectResource> builder)
    {
        var configuration = builder.ApplicationBuilder.Configuration;
        return builder.WithEnvironment(context =>
        {
            if (!context.ExecutionContext.IsRunMode)
            {
                return;
            }

            var model = context.ExecutionContext.Services.GetRequiredService<DistributedApplicationModel>();
            var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (url is not null && model.Resources.Any(r => r.Name == DashboardResourceName))
            {
                context.EnvironmentVariables["Gateway__DashboardUrl"] = url;
            }
        });
    }
}
