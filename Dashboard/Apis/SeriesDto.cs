namespace Observability.Dashboard.Apis;

/// <summary>A time series (one attribute set) with its aggregated value over the window.</summary>
internal sealed record SeriesDto(Dictionary<string, string> Attributes, double? Value, IReadOnlyList<PointDto> Points, int ExemplarCount);
