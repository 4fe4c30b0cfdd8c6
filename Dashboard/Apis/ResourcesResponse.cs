namespace Observability.Dashboard.Apis;

/// <summary>The answer of <c>GET /api/resources</c>.</summary>
internal sealed record ResourcesResponse(IReadOnlyList<ResourceDto> Resources, DropsDto Drops, long PersistedBytes, bool Unsecured);
