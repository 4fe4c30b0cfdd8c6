namespace Observability.Workflows.Tickets;

/// <summary>
/// Options of the event tickets the Gateway signs and the WebSocketHub verifies (section <c>EventTickets</c>).
/// </summary>
public sealed class EventTicketOptions
{
    public const string SectionName = "EventTickets";

    /// <summary>
    /// <c>EventTickets:SigningKey</c>: the HMAC-SHA256 key shared by the Gateway and every hub instance, at least
    /// 32 characters. Required, no default: the AppHost generates one (parameter <c>event-ticket-key</c>); in a
    /// deployment it comes from a secret. It is never logged.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary><c>EventTickets:Lifetime</c>: how long a ticket can be used to subscribe. Default 00:10:00 (1 s to 1 day).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);
}
