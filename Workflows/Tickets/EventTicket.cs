namespace Observability.Workflows.Tickets;

/// <summary>A verified ticket: the holder may subscribe to <see cref="Subject"/>'s events until <see cref="ExpiresAt"/>.</summary>
public sealed record EventTicket(EventTicketScope Scope, string Subject, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether this ticket allows subscribing to the run <paramref name="runId"/>.</summary>
    public bool Allows(Guid runId) => Scope == EventTicketScope.Run && Subject == runId.ToString("N");

    /// <summary>Whether this ticket allows subscribing to the session <paramref name="sessionId"/>.</summary>
    public bool Allows(string sessionId) => Scope == EventTicketScope.Session && string.Equals(Subject, sessionId, StringComparison.Ordinal);
}
