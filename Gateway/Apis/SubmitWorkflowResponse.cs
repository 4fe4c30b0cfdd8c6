namespace Observability.Gateway.Apis;

/// <summary>The answer to a submit: where to poll the run, where to stream its events, and its trace.</summary>
internal sealed record SubmitWorkflowResponse(Guid RunId, string StatusUrl, string? EventsUrl, string? TraceId);
