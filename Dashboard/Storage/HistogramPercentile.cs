namespace Observability.Dashboard.Storage;

/// <summary>Percentiles from histogram buckets: find the bucket holding the rank, interpolate linearly inside it.</summary>
internal static class HistogramPercentile
{
    /// <summary>Adds (or with <paramref name="sign"/> -1 subtracts) a point's buckets, keyed by their value range.</summary>
    public static void AddBuckets(Dictionary<(double Lower, double Upper), double> totals, MetricPoint point, int sign)
    {
        if (point.Histogram is { } histogram)
        {
            var bounds = histogram.ExplicitBounds;
            for (var i = 0; i < histogram.BucketCounts.Length; i++)
            {
                var lower = i == 0 ? Math.Min(histogram.Min ?? 0, bounds.Length > 0 ? bounds[0] : 0) : bounds[i - 1];
                var upper = i < bounds.Length ? bounds[i] : Math.Max(histogram.Max ?? lower, lower);
                Add(totals, (lower, upper), sign * (double)histogram.BucketCounts[i]);
            }
        }
        else if (point.Exponential is { } exponential)
        {
            var bucketBase = Math.Pow(2, Math.Pow(2, -exponential.Scale));
            if (exponential.ZeroCount > 0)
            {
                Add(totals, (0, 0), sign * (double)exponential.ZeroCount);
            }

            for (var i = 0; i < exponential.PositiveCounts.Length; i++)
            {
                var index = exponential.PositiveOffset + i;
                Add(totals, (Math.Pow(bucketBase, index), Math.Pow(bucketBase, index + 1)), sign * (double)exponential.PositiveCounts[i]);
            }

            for (var i = 0; i < exponential.NegativeCounts.Length; i++)
            {
                var index = exponential.NegativeOffset + i;
                Add(totals, (-Math.Pow(bucketBase, index + 1), -Math.Pow(bucketBase, index)), sign * (double)exponential.NegativeCounts[i]);
            }
        }
    }

    public static double? Compute(Dictionary<(double Lower, double Upper), double> buckets, double quantile)
    {
        var ordered = buckets.Where(b => b.Value > 0).OrderBy(b => b.Key.Lower).ThenBy(b => b.Key.Upper).ToList();
        var total = ordered.Sum(b => b.Value);
        if (total <= 0)
        {
            return null;
        }

        var rank = quantile * total;
        var seen = 0.0;
        foreach (var ((lower, upper), count) in ordered)
        {
            if (seen + count >= rank)
            {
                return lower + ((upper - lower) * ((rank - seen) / count));
            }

            seen += count;
        }

        return ordered[^1].Key.Upper;
    }

    private static void Add(Dictionary<(double, double), double> totals, (double, double) key, double count) =>
        totals[key] = totals.GetValueOrDefault(key) + count;
}
