namespace Observability.Dashboard.Storage;

/// <summary>One instrument of one resource and its time series, keyed by attribute set.</summary>
internal sealed class MetricInstrument(MetricData metric)
{
    public InstrumentationScope Scope { get; } = metric.Scope;

    public string Name { get; } = metric.Name;

    public string? Description { get; set; } = metric.Description;

    public string? Unit { get; set; } = metric.Unit;

    public MetricKind Kind { get; set; } = metric.Kind;

    public AggregationTemporality Temporality { get; set; } = metric.Temporality;

    public bool IsMonotonic { get; set; } = metric.IsMonotonic;

    public Dictionary<string, MetricSeries> Series { get; } = new(StringComparer.Ordinal);
}
