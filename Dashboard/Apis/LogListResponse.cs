namespace Observability.Dashboard.Apis;

/// <summary>The answer of <c>GET /api/logs</c>: one page and the total number of matches.</summary>
internal sealed record LogListResponse(int Total, IReadOnlyList<LogDto> Items);
