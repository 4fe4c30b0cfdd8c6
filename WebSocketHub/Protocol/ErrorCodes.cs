namespace Observability.WebSocketHub.Protocol;

/// <summary>The <c>code</c> values of <c>error</c> frames.</summary>
internal static class ErrorCodes
{
    /// <summary>The frame is not valid JSON, has an unknown <c>type</c>, or a field is missing or malformed.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The ticket is missing, malformed, forged, expired, or does not allow the run or session asked for.</summary>
    public const string TicketInvalid = "ticket_invalid";

    /// <summary>The connection already follows <c>WebSocketHub:MaxSubscriptionsPerConnection</c> runs and sessions.</summary>
    public const string TooManySubscriptions = "too_many_subscriptions";

    /// <summary>
    /// The hub cannot read the event streams (Redis unreachable) or, when events were lost, the run's state (PostgreSQL
    /// unreachable or slower than <c>WebSocketHub:RunStateTimeout</c>) right now; the client may retry.
    /// </summary>
    public const string Unavailable = "unavailable";
}
