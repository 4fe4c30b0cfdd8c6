namespace Observability.ServiceDefaults.Metrics;

/// <summary>The Prometheus type an OpenTelemetry metric is exposed as.</summary>
internal enum PrometheusMetricType
{
    /// <summary>A monotonic sum (OpenTelemetry counter).</summary>
    Counter,

    /// <summary>A gauge, an up-down counter or any non-monotonic sum.</summary>
    Gauge,

    /// <summary>An explicit-bucket histogram.</summary>
    Histogram,
}
