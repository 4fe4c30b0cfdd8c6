namespace Observability.Dashboard.Storage;

/// <summary>An explicit-bucket histogram data point's buckets and summary.</summary>
internal sealed record HistogramValues(ulong Count, double? Sum, double? Min, double? Max, double[] ExplicitBounds, ulong[] BucketCounts);
