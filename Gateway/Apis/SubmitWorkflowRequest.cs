namespace Observability.Gateway.Apis;

/// <summary>The body of <c>POST /api/workflows</c>.</summary>
internal sealed record SubmitWorkflowRequest(string? Task, string? SessionId, string? Agent, string? Model, string? Mode);
