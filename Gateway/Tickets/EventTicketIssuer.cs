using Observability.Workflows.Tickets;

namespace Observability.Gateway.Tickets;

/// <summary>
/// Issues the tickets a client presents to the WebSocketHub to subscribe (<see cref="EventTicketSigner"/>, key
/// <c>EventTickets:SigningKey</c>). Tickets are bearer secrets: they go into response bodies only, never into logs,
/// span attributes or URLs.
/// </summary>
internal sealed class EventTicketIssuer(EventTicketSigner signer)
{
    /// <summary>A ticket for the events of the run <paramref name="runId"/>.</summary>
    public IssuedEventTicket ForRun(Guid runId) => new(signer.IssueForRun(runId, out var expiresAt), expiresAt);

    /// <summary>A ticket for the events of every run of the session <paramref name="sessionId"/>.</summary>
    public IssuedEventTicket ForSession(string sessionId) => new(signer.IssueForSession(sessionId, out var expiresAt), expiresAt);
}
