using Observability.Workflows.Steps;

namespace Observability.Gateway.Apis;

/// <summary>One step of a run: the agent the router chose and why, its status, tokens, cost and duration.</summary>
internal sealed record WorkflowStepDetails(
    string Id,
    string? Agent,
    string? Explanation,
    string Status,
    TokenUsage Tokens,
    decimal Cost,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double? DurationSeconds,
    string? Error)
{
    public static WorkflowStepDetails From(WorkflowStep step) => new(
        step.StepKey,
        step.Agent,
        step.Explanation,
        step.Status.ToString(),
        new TokenUsage(step.InputTokens, step.OutputTokens, step.InputTokens + step.OutputTokens),
        step.Cost,
        step.StartedAt,
        step.CompletedAt,
        WorkflowRunDetails.Seconds(step.StartedAt, step.CompletedAt),
        step.Error);
}
