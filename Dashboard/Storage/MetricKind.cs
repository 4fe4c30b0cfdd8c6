namespace Observability.Dashboard.Storage;

/// <summary>The OTLP metric data type of an instrument.</summary>
internal enum MetricKind : byte
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}
