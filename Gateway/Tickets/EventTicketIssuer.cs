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
    public IssuedEventTicket ForRun(Guid runId) => WithExpiry(signer.IssueForRun(runId));

    /// <summary>A ticket for the events of every run of the session <paramref name="sessionId"/>.</summary>
    public IssuedEventTicket ForSession(string sessionId) => WithExpiry(signer.IssueForSession(sessionId));

    private IssuedEventTicket WithExpiry(string ticket)
    {
        // Reading the expiry back through Verify keeps the ticket format the signer's business alone.
        var grant = signer.Verify(ticket, out var failure)
            ?? throw new InvalidOperationException($"A ticket just issued does not verify: {failure}");
        return new IssuedEventTicket(ticket, grant.ExpiresAt);
    }
}
