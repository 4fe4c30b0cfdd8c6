using System.Globalization;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Dashboard;

namespace Observability.Hosting.Orchestration;

/// <summary>The environment of a project or executable replica, with the names Aspire uses.</summary>
internal static class EnvironmentFactory
{
    public static Dictionary<string, string?> Create(Resource resource, ReplicaContext context)
    {
        var (otlpEndpoint, otlpProtocol, otlpHeaders) = ExportTarget(resource, context.Host);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = context.Host.EnvironmentName,
            ["ASPNETCORE_ENVIRONMENT"] = context.Host.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = resource.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={context.InstanceId}",
            // Output goes to a pipe and is kept line by line: no colour codes, whatever the host's terminal allows.
            ["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = null,
            // Null removes what the host's own environment holds: without a target, nothing is exported.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = otlpProtocol,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = otlpHeaders,
        };

        if (string.Equals(context.Host.EnvironmentName, "Development", StringComparison.OrdinalIgnoreCase))
        {
            // Telemetry shows up within a second while developing (the SDK defaults are 5 s and 60 s).
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        }

        foreach (var reference in resource.References)
        {
            AddReference(environment, reference);
        }

        foreach (var (name, value) in resource.EnvironmentVariables)
        {
            environment[name] = value();
        }

        return environment;
    }

    /// <summary>
    /// Where a resource exports: <c>AppHost:OtlpEndpoint</c> when set (an external collector), else the dashboard of
    /// the application, else nowhere. The dashboard never exports to itself.
    /// </summary>
    private static (string? Endpoint, string? Protocol, string? Headers) ExportTarget(Resource resource, HostingContext host)
    {
        if (resource is DashboardResource)
        {
            return default;
        }

        if (host.Options.OtlpEndpoint is { } endpoint)
        {
            return (endpoint.ToString().TrimEnd('/'), host.Options.OtlpProtocol, host.Options.OtlpHeaders);
        }

        return host.Dashboard is { } dashboard ? (dashboard.OtlpEndpoint, DashboardResource.OtlpProtocol, dashboard.OtlpHeaders) : default;
    }

    private static void AddReference(Dictionary<string, string?> environment, Resource reference)
    {
        if (reference is IResourceWithConnectionString connection)
        {
            environment[$"ConnectionStrings__{connection.Name}"] = connection.GetConnectionString();
            var prefix = ResourceNames.EnvironmentPrefix(connection.Name);
            foreach (var (key, value) in connection.GetConnectionProperties())
            {
                environment[$"{prefix}_{key}"] = value;
            }
        }

        if (reference is IResourceWithEnvironment)
        {
            foreach (var endpoint in reference.Endpoints)
            {
                for (var replica = 0; replica < reference.Replicas; replica++)
                {
                    var key = $"services__{reference.Name}__{endpoint.Name}__{replica.ToString(CultureInfo.InvariantCulture)}";
                    environment[key] = endpoint.Url(replica).ToString().TrimEnd('/');
                }
            }
        }
    }
}
