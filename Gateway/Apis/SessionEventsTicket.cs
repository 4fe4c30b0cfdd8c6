namespace Observability.Gateway.Apis;

/// <summary>A ticket to subscribe to every run of a session at the WebSocketHub's <c>/ws</c> address.</summary>
internal sealed record SessionEventsTicket(string SessionId, string? EventsUrl, string Ticket, DateTimeOffset ExpiresAt);
