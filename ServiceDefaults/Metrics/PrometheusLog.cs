using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>Log messages of the Prometheus endpoint.</summary>
internal static partial class PrometheusLog
{
    [LoggerMessage(EventId = 1, EventName = "PrometheusNoMeterProvider", Level = LogLevel.Warning,
        Message = "A scrape found no running MeterProvider with the Prometheus reader; register it through AddPrometheusMetrics and build the host's MeterProvider.")]
    public static partial void NoMeterProvider(ILogger logger);

    [LoggerMessage(EventId = 2, EventName = "PrometheusCollectFailed", Level = LogLevel.Warning,
        Message = "Collecting metrics for a scrape failed or took longer than {CollectTimeout}.")]
    public static partial void CollectFailed(ILogger logger, TimeSpan collectTimeout);
}
