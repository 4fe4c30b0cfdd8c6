namespace Observability.Dashboard.Apis;

/// <summary>The answer of <c>GET /api/metrics/{resourceId}/{name}</c>.</summary>
internal sealed record SeriesResponse(string Name, string? Unit, string Kind, string Aggregation, long FromUnixNano, long ToUnixNano,
    IReadOnlyList<SeriesDto> Series);
