namespace Observability.TestInfrastructure.Otlp;

/// <summary>One exported metric with its data points, and the resource and meter it was exported under.</summary>
public sealed class OtlpMetric
{
    /// <summary>The resource that exported the metric.</summary>
    public required OtlpResource Resource { get; init; }

    /// <summary>The meter the metric came from.</summary>
    public required OtlpScope Scope { get; init; }

    /// <summary>The instrument name.</summary>
    public required string Name { get; init; }

    /// <summary>The description, empty when absent.</summary>
    public required string Description { get; init; }

    /// <summary>The UCUM unit, empty when absent.</summary>
    public required string Unit { get; init; }

    /// <summary>Which kind of data the metric carries.</summary>
    public required OtlpMetricKind Kind { get; init; }

    /// <summary>True for a monotonic sum.</summary>
    public required bool IsMonotonic { get; init; }

    /// <summary>Aggregation temporality: 0 unspecified, 1 delta, 2 cumulative.</summary>
    public required int AggregationTemporality { get; init; }

    /// <summary>The data points.</summary>
    public required IReadOnlyList<OtlpDataPoint> DataPoints { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} metric '{Name}' ({DataPoints.Count} points) from {Scope.Name}";
}
