namespace Observability.TestInfrastructure.Otlp;

/// <summary>Which data field of <c>opentelemetry.proto.metrics.v1.Metric</c> was set.</summary>
public enum OtlpMetricKind
{
    /// <summary>No data.</summary>
    Unknown = 0,

    /// <summary>A gauge of number data points.</summary>
    Gauge,

    /// <summary>A sum of number data points.</summary>
    Sum,

    /// <summary>An explicit-bucket histogram.</summary>
    Histogram,

    /// <summary>An exponential histogram.</summary>
    ExponentialHistogram,

    /// <summary>A summary.</summary>
    Summary,
}
