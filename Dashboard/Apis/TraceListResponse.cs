namespace Observability.Dashboard.Apis;

/// <summary>The answer of <c>GET /api/traces</c>: one page and the total number of matches.</summary>
internal sealed record TraceListResponse(int Total, IReadOnlyList<TraceSummaryDto> Items);
