using Observability.Workflows.Alerts;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Gateway.Apis;

/// <summary>Everything known about one run: status, plan, steps (agent and why), tokens, cost, durations, alerts, trace.</summary>
internal sealed record WorkflowRunDetails(
    Guid RunId,
    string SessionId,
    string Task,
    string? Agent,
    string? Model,
    string? Mode,
    string Status,
    WorkflowPlan? Plan,
    double? QualityScore,
    IReadOnlyList<WorkflowStepDetails> Steps,
    TokenUsage Tokens,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double? QueuedSeconds,
    double? DurationSeconds,
    int AttemptCount,
    string? DeadLetterReason,
    IReadOnlyList<AlertDetails> Alerts,
    string? TraceId,
    string? CorrelationId,
    string? EventsUrl)
{
    public static WorkflowRunDetails From(WorkflowRun run, IReadOnlyList<WorkflowStep> steps, IReadOnlyList<Alert> alerts, string? eventsUrl) => new(
        run.Id,
        run.SessionId,
        run.Task,
        run.Agent,
        run.Model,
        run.Mode,
        run.Status.ToString(),
        run.Plan,
        run.QualityScore,
        [.. steps.Select(WorkflowStepDetails.From)],
        new TokenUsage(run.InputTokens, run.OutputTokens, run.InputTokens + run.OutputTokens),
        run.Cost,
        run.CreatedAt,
        run.StartedAt,
        run.CompletedAt,
        Seconds(run.CreatedAt, run.StartedAt),
        Seconds(run.StartedAt, run.CompletedAt),
        run.AttemptCount,
        run.DeadLetterReason,
        [.. alerts.Select(a => new AlertDetails(a.Kind.ToString(), a.Threshold, a.ObservedValue, a.CreatedAt))],
        run.TraceId,
        run.CorrelationId,
        eventsUrl);

    internal static double? Seconds(DateTimeOffset? from, DateTimeOffset? to)
        => from is { } start && to is { } end ? (end - start).TotalSeconds : null;
}

/// <summary>Token counts of a run.</summary>
internal sealed record TokenUsage(long Input, long Output, long Total);

/// <summary>An alert raised about a run.</summary>
internal sealed record AlertDetails(string Kind, double Threshold, double ObservedValue, DateTimeOffset CreatedAt);

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
