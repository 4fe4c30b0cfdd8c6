using System.Security.Cryptography;
using Observability.Hosting.ApplicationModel;

namespace Observability.Hosting.Dashboard;

/// <summary>Adds the telemetry dashboard.</summary>
public static class DashboardBuilderExtensions
{
    /// <summary>
    /// Adds the dashboard project (referenced by the app host with <c>IsHostedProject="true"</c>); every other
    /// project and executable then exports its traces, metrics and logs to it. Its OTLP API key is the parameter
    /// <c>{name}-otlp-api-key</c> (generated once per user), its browser token <c>{name}-browser-token</c> (new on
    /// every run unless configured). One dashboard per application.
    /// </summary>
    public static IResourceBuilder<DashboardResource> AddDashboard(this DistributedApplicationBuilder builder, string name, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Resources.OfType<DashboardResource>().FirstOrDefault() is { } existing)
        {
            throw new InvalidOperationException($"The application already has a dashboard, '{existing.Name}'.");
        }

        var (fullPath, targetPath) = builder.Projects.Resolve(projectPath);
        var apiKey = builder.AddGeneratedPassword($"{name}-otlp-api-key", length: 32);
        var tokenName = $"{name}-browser-token";
        var configuration = builder.Configuration;
        var browserToken = builder.AddResource(new ParameterResource(
            tokenName,
            () => configuration[$"Parameters:{tokenName}"] is { Length: > 0 } token ? token : RandomNumberGenerator.GetHexString(32, lowercase: true),
            secret: true));
        return builder.AddResource(new DashboardResource(name, fullPath, targetPath, apiKey.Resource, browserToken.Resource));
    }
}
