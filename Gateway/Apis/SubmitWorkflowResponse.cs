namespace Observability.Gateway.Apis;

/// <summary>
/// The answer to a submit: where to poll the run, the WebSocketHub address to subscribe at (<c>/ws</c>) with the
/// ticket that allows subscribing to this run until <see cref="ExpiresAt"/>, and the run's trace id.
/// </summary>
internal sealed record SubmitWorkflowResponse(
    Guid RunId,
    string StatusUrl,
    string? EventsUrl,
    string EventsTicket,
    DateTimeOffset ExpiresAt,
    string? TraceId);
