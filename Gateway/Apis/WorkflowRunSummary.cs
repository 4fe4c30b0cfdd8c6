using Observability.Workflows.Runs;

namespace Observability.Gateway.Apis;

/// <summary>One run in a list page.</summary>
internal sealed record WorkflowRunSummary(
    Guid RunId,
    string SessionId,
    string Status,
    string? Mode,
    long TotalTokens,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string StatusUrl,
    string? TraceId)
{
    public static WorkflowRunSummary From(WorkflowRun run) => new(
        run.Id,
        run.SessionId,
        run.Status.ToString(),
        run.Mode,
        run.InputTokens + run.OutputTokens,
        run.Cost,
        run.CreatedAt,
        run.CompletedAt,
        WorkflowLinks.Status(run.Id),
        run.TraceId);
}
