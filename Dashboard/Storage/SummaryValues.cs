namespace Observability.Dashboard.Storage;

/// <summary>A summary data point: count, sum and precomputed quantiles.</summary>
internal sealed record SummaryValues(ulong Count, double Sum, (double Quantile, double Value)[] Quantiles);
