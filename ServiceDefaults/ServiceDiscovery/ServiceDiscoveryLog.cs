using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>Log messages of service discovery.</summary>
internal static partial class ServiceDiscoveryLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Debug,
        Message = "Resolved service {ServiceName} to {Endpoint} ({EndpointCount} endpoints configured)")]
    public static partial void Resolved(ILogger logger, string serviceName, string endpoint, int endpointCount);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Debug,
        Message = "Host {Host} is not a configured service; sending to it unchanged")]
    public static partial void PassedThrough(ILogger logger, string host);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning,
        Message = "Ignoring endpoint {Value} at configuration key {ConfigurationKey}: not an absolute http or https address")]
    public static partial void InvalidEndpoint(ILogger logger, string value, string configurationKey);
}
