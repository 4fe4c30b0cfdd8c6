namespace Observability.SampleTraffic;

/// <summary>The part of the gateway's 202 answer the sample traffic logs.</summary>
internal sealed record SubmittedWorkflow(Guid RunId, string? TraceId);
