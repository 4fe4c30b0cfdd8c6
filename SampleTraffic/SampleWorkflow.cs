namespace Observability.SampleTraffic;

/// <summary>The body of the gateway's <c>POST /api/workflows</c>, as the sample traffic sends it.</summary>
internal sealed record SampleWorkflow(string Task, string SessionId);
