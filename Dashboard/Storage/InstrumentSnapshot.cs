namespace Observability.Dashboard.Storage;

/// <summary>A copy of an instrument's description and its series' points in a window, safe outside the store lock.</summary>
internal sealed record InstrumentSnapshot(
    string Name,
    string? Description,
    string? Unit,
    MetricKind Kind,
    AggregationTemporality Temporality,
    bool IsMonotonic,
    InstrumentationScope Scope,
    int SeriesCount,
    IReadOnlyList<(TelemetryAttribute[] Attributes, List<MetricPoint> Points)> Series);
