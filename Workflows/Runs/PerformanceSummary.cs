namespace Observability.Workflows.Runs;

/// <summary>
/// A session's runs created in a window. Durations (seconds, started to completed) cover runs that have both
/// timestamps; the error rate is failed (incl. dead-lettered) over completed plus failed, 0 when none finished.
/// Null durations and average cost mean no run qualified.
/// </summary>
public sealed record PerformanceSummary(
    long Runs,
    long Completed,
    long Failed,
    double ErrorRate,
    double? AverageDurationSeconds,
    double? P95DurationSeconds,
    double? MaxDurationSeconds,
    decimal TotalCost,
    decimal? AverageCost);
