namespace Observability.WebSocketHub.Protocol;

/// <summary>
/// A run as PostgreSQL (the truth) holds it, carried by a run subscription's <c>truncated</c> frame: what a follower
/// needs to decide whether to wait for more events or read the run (<c>GET /api/workflows/{id}</c>).
/// </summary>
/// <param name="Status">The run's status (<c>Queued</c>, <c>Running</c>, <c>Completed</c>, <c>Failed</c>, <c>Cancelled</c>, <c>DeadLettered</c>).</param>
/// <param name="Final">Whether the status is final (no event will follow but, at most, the run's last ones).</param>
/// <param name="Attempt">How many times a worker has started the run.</param>
/// <param name="StepsCompleted">Steps of the run's plan that completed.</param>
/// <param name="Steps">Steps of the run's plan (0 before it is planned).</param>
/// <param name="StartedAt">When the current attempt started.</param>
/// <param name="CompletedAt">When the run reached its final status.</param>
internal sealed record RunState(
    string Status,
    bool Final,
    int Attempt,
    long StepsCompleted,
    long Steps,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);
