namespace Observability.EndToEnd.Tests.Harness;

/// <summary>The gateway's answer to a submit (<c>POST /api/workflows</c>).</summary>
internal sealed record SubmittedRun(Guid RunId, string StatusUrl, string? EventsUrl, string? EventsTicket, string? TraceId);
