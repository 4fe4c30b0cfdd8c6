namespace Observability.Dashboard.Otlp;

/// <summary>What one export added: items stored and items rejected (reported as <c>partial_success</c>).</summary>
internal readonly record struct IngestResult(long Accepted, long Rejected, string? RejectionMessage);
