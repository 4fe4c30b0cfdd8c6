namespace Observability.ServiceDefaults.Metrics;

/// <summary>The two exposition formats <c>/metrics</c> serves, chosen by the scraper's <c>Accept</c> header.</summary>
internal enum PrometheusFormat
{
    /// <summary>Prometheus text format 0.0.4: <c>text/plain; version=0.0.4; charset=utf-8</c>.</summary>
    Text,

    /// <summary>OpenMetrics 1.0.0: <c>application/openmetrics-text; version=1.0.0; charset=utf-8</c>.</summary>
    OpenMetrics,
}
