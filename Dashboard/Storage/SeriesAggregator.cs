namespace Observability.Dashboard.Storage;

/// <summary>
/// Reduces one series' points in a window to a number. <c>last</c>, <c>min</c>, <c>max</c>, <c>avg</c> read the
/// values; <c>sum</c> is the increase of a cumulative sum (resets handled) or the total of delta sums;
/// <c>rate</c> is that increase per second of the window; <c>pNN</c> interpolates a percentile from the
/// histogram buckets observed in the window (explicit or exponential).
/// </summary>
internal static class SeriesAggregator
{
    public static readonly string[] Aggregations = ["last", "min", "max", "avg", "sum", "rate", "p50", "p90", "p95", "p99"];

    public static double? Aggregate(MetricKind kind, AggregationTemporality temporality, List<MetricPoint> points, string aggregation, long fromUnixNano, long toUnixNano)
    {
        if (points.Count == 0)
        {
            return null;
        }

        if (aggregation.StartsWith('p'))
        {
            var quantile = int.Parse(aggregation.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) / 100.0;
            return kind switch
            {
                MetricKind.Histogram or MetricKind.ExponentialHistogram => HistogramPercentile.Compute(WindowBuckets(temporality, points, fromUnixNano), quantile),
                _ => Quantile(points.Select(Value).Order().ToList(), quantile),
            };
        }

        var seconds = Math.Max(1e-9, (toUnixNano - fromUnixNano) / 1e9);
        return aggregation switch
        {
            "min" => points.Min(Value),
            "max" => points.Max(Value),
            "avg" => points.Average(Value),
            "sum" => Increase(temporality, points, fromUnixNano),
            "rate" => Increase(temporality, points, fromUnixNano) / seconds,
            _ => Value(points[^1]),
        };
    }

    /// <summary>The point's number: a gauge or sum value, or a histogram's or summary's sum.</summary>
    public static double Value(MetricPoint point) =>
        point.Histogram?.Sum ?? point.Exponential?.Sum ?? point.Summary?.Sum ?? point.Value;

    private static double Count(MetricPoint point) =>
        point.Histogram?.Count ?? point.Exponential?.Count ?? point.Summary?.Count ?? point.Value;

    private static double Increase(AggregationTemporality temporality, List<MetricPoint> points, long fromUnixNano)
    {
        if (temporality != AggregationTemporality.Cumulative)
        {
            return points.Sum(Value);
        }

        // A series that started inside the window counts from zero; a drop in value is a reset.
        var increase = points[0].StartUnixNano >= fromUnixNano ? Value(points[0]) : 0;
        for (var i = 1; i < points.Count; i++)
        {
            var delta = Value(points[i]) - Value(points[i - 1]);
            increase += delta >= 0 ? delta : Value(points[i]);
        }

        return increase;
    }

    private static double Quantile(List<double> sorted, double quantile)
    {
        var rank = quantile * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(sorted.Count - 1, low + 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>
    /// Bucket counts observed in the window: deltas summed; cumulative as the last point, minus the first when the
    /// series started before the window (same start time, same bucket layout).
    /// </summary>
    private static Dictionary<(double Lower, double Upper), double> WindowBuckets(AggregationTemporality temporality, List<MetricPoint> points, long fromUnixNano)
    {
        var totals = new Dictionary<(double, double), double>();
        if (temporality == AggregationTemporality.Cumulative)
        {
            var last = points[^1];
            var first = points[0];
            HistogramPercentile.AddBuckets(totals, last, 1);
            if (!ReferenceEquals(first, last) && first.StartUnixNano < fromUnixNano && first.StartUnixNano == last.StartUnixNano && Count(first) <= Count(last)
                && SameLayout(first, last))
            {
                HistogramPercentile.AddBuckets(totals, first, -1);
            }

            return totals;
        }

        foreach (var point in points)
        {
            HistogramPercentile.AddBuckets(totals, point, 1);
        }

        return totals;
    }

    private static bool SameLayout(MetricPoint a, MetricPoint b) =>
        (a.Histogram, b.Histogram) is ({ } ha, { } hb) ? ha.ExplicitBounds.AsSpan().SequenceEqual(hb.ExplicitBounds)
        : (a.Exponential, b.Exponential) is ({ } ea, { } eb) && ea.Scale == eb.Scale;
}
