namespace Observability.Dashboard.Apis;

/// <summary>The answer of <c>POST /api/import/{signal}</c>.</summary>
internal sealed record ImportResponse(long Accepted, long Rejected);
