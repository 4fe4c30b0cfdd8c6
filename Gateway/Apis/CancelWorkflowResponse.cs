namespace Observability.Gateway.Apis;

/// <summary>The run's status after a cancel.</summary>
internal sealed record CancelWorkflowResponse(Guid RunId, string Status);
