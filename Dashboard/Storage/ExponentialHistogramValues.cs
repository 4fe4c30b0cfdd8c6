namespace Observability.Dashboard.Storage;

/// <summary>A base-2 exponential histogram data point.</summary>
internal sealed record ExponentialHistogramValues(
    ulong Count,
    double? Sum,
    double? Min,
    double? Max,
    int Scale,
    ulong ZeroCount,
    double ZeroThreshold,
    int PositiveOffset,
    ulong[] PositiveCounts,
    int NegativeOffset,
    ulong[] NegativeCounts);
