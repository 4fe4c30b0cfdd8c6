using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Health;

/// <summary>
/// What <c>/status</c> says about the service: its name (<c>OTEL_SERVICE_NAME</c>, else the application name),
/// version (the application assembly's informational version), environment, and when it started.
/// </summary>
internal sealed class ServiceIdentity
{
    public ServiceIdentity(IHostEnvironment environment, IConfiguration configuration, TimeProvider timeProvider)
    {
        Name = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : environment.ApplicationName;
        Environment = environment.EnvironmentName;
        Version = FindVersion(environment.ApplicationName);
        StartedAt = timeProvider.GetUtcNow();
    }

    public string Name { get; }

    public string Version { get; }

    public string Environment { get; }

    public DateTimeOffset StartedAt { get; }

    private static string FindVersion(string applicationName)
    {
        Assembly? assembly = null;
        try
        {
            assembly = Assembly.Load(new AssemblyName(applicationName));
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            assembly = Assembly.GetEntryAssembly();
        }

        assembly ??= Assembly.GetEntryAssembly();
        return assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly?.GetName().Version?.ToString()
            ?? "unknown";
    }
}
