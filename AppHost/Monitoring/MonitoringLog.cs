using Microsoft.Extensions.Logging;

namespace Observability.AppHost.Monitoring;

internal static partial class MonitoringLog
{
    [LoggerMessage(1, LogLevel.Information, "Scrape targets: {Targets}.")]
    public static partial void TargetsChanged(ILogger logger, string targets);

    [LoggerMessage(2, LogLevel.Error, "Could not write the scrape targets; Prometheus keeps the last ones.")]
    public static partial void TargetsNotWritten(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "No value for {Variables}: the receivers using them point nowhere, so alerts show in the UI only. Set them in the environment to notify.")]
    public static partial void ReceiversUnconfigured(ILogger logger, string variables);
}
