namespace Observability.Gateway.Apis;

/// <summary>A page of runs, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null: last page).</summary>
internal sealed record WorkflowRunPage(IReadOnlyList<WorkflowRunSummary> Items, string? NextCursor);
