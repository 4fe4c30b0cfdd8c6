namespace Observability.Dashboard.Apis;

/// <summary>A data point: <see cref="Value"/> for gauges and sums, count and sum for histograms and summaries.</summary>
internal sealed record PointDto(long TimeUnixNano, double? Value, ulong? Count, double? Sum);
