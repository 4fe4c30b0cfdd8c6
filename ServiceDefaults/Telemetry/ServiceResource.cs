using Microsoft.Extensions.Configuration;
using OpenTelemetry.Resources;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>The <c>service.name</c> of a process started without <c>OTEL_SERVICE_NAME</c> (outside an AppHost).</summary>
internal static class ServiceResource
{
    /// <summary>
    /// Names the service after the application when neither <c>OTEL_SERVICE_NAME</c> nor a <c>service.name</c> in
    /// <c>OTEL_RESOURCE_ATTRIBUTES</c> does (the SDK would say <c>unknown_service:dotnet</c>); the variables, read by
    /// the SDK itself, win whenever they are set.
    /// </summary>
    public static void AddDefaultServiceName(ResourceBuilder resource, IConfiguration configuration, string applicationName)
    {
        var attributes = configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? string.Empty;
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])
            || attributes.Contains("service.name=", StringComparison.Ordinal))
        {
            return;
        }

        resource.AddService(
            applicationName,
            autoGenerateServiceInstanceId: !attributes.Contains("service.instance.id=", StringComparison.Ordinal));
    }
}
