namespace Observability.WebSocketHub.Protocol;

/// <summary>
/// A session's runs as PostgreSQL holds them, carried by a session subscription's <c>truncated</c> frame (a session
/// has no single run state): how many runs it has, how many are still <c>Queued</c> or <c>Running</c>, and the count
/// of each status. The runs themselves are listed by <c>GET /api/workflows?sessionId=</c>.
/// </summary>
internal sealed record SessionState(long Runs, long Active, IReadOnlyDictionary<string, long> Statuses);
