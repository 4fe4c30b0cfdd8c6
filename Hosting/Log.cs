using Microsoft.Extensions.Logging;
using Observability.Hosting.Orchestration;

namespace Observability.Hosting;

/// <summary>Every message the host writes.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "{Resource,-14} {Endpoint}")]
    public static partial void ResourceEndpoint(ILogger logger, string resource, string endpoint);

    [LoggerMessage(2, LogLevel.Information, "{InstanceId,-22} {State}{Details}")]
    public static partial void StateChanged(ILogger logger, string instanceId, ResourceState state, string details);

    [LoggerMessage(3, LogLevel.Error, "{InstanceId} failed to start")]
    public static partial void FailedToStart(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(4, LogLevel.Information, "[{InstanceId}] {Text}")]
    public static partial void ResourceOutput(ILogger logger, string instanceId, string text);

    [LoggerMessage(5, LogLevel.Information, "All {Count} replicas healthy {Seconds:0.00} s after start; host working set {WorkingSetMegabytes:0.0} MB")]
    public static partial void AllHealthy(ILogger logger, int count, double seconds, double workingSetMegabytes);

    [LoggerMessage(6, LogLevel.Warning, "{InstanceId} exited with code {ExitCode}; restart {Restart} in {Delay}")]
    public static partial void Restarting(ILogger logger, string instanceId, int exitCode, int restart, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Information, "Stopping {Count} resources in reverse dependency order")]
    public static partial void Stopping(ILogger logger, int count);

    [LoggerMessage(8, LogLevel.Information, "Container engine: {Detection}")]
    public static partial void ContainerDetection(ILogger logger, string detection);

    [LoggerMessage(9, LogLevel.Information, "{Text}")]
    public static partial void CommandOutput(ILogger logger, string text);

    [LoggerMessage(10, LogLevel.Information, "Dashboard: {LoginUrl}")]
    public static partial void DashboardLogin(ILogger logger, Uri loginUrl);
}
