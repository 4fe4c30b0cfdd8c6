namespace Observability.Gateway.Tickets;

/// <summary>A signed event ticket as handed to a client, with the instant it stops allowing a subscribe.</summary>
internal sealed record IssuedEventTicket(string Ticket, DateTimeOffset ExpiresAt);
