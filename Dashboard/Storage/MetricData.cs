namespace Observability.Dashboard.Storage;

/// <summary>One decoded OTLP <c>Metric</c> message: an instrument's description and its new points.</summary>
internal sealed class MetricData : IScopedRecord
{
    public InstrumentationScope Scope { get; set; } = InstrumentationScope.Empty;

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? Unit { get; set; }

    public MetricKind Kind { get; set; }

    public AggregationTemporality Temporality { get; set; }

    public bool IsMonotonic { get; set; }

    public List<MetricPoint> Points { get; } = [];
}
