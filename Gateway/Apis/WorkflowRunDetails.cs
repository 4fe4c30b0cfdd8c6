using Observability.Gateway.Caching;
using Observability.Gateway.Tickets;
using Observability.Workflows.Alerts;
using Observability.Workflows.Runs;

namespace Observability.Gateway.Apis;

/// <summary>Everything known about one run: status, plan, steps (agent and why), tokens, cost, durations, alerts, trace, and a fresh ticket to subscribe to its events.</summary>
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
    string? EventsUrl,
    string EventsTicket,
    DateTimeOffset EventsTicketExpiresAt)
{
    public static WorkflowRunDetails From(
        RunSnapshot run,
        IReadOnlyList<Alert> alerts,
        string? eventsUrl,
        IssuedEventTicket ticket) => new(
        run.RunId,
        run.SessionId,
        run.Task,
        run.Agent,
        run.Model,
        run.Mode,
        run.Status.ToString(),
        run.Plan,
        run.QualityScore,
        run.Steps,
        run.Tokens,
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
        eventsUrl,
        ticket.Ticket,
        ticket.ExpiresAt);

    internal static double? Seconds(DateTimeOffset? from, DateTimeOffset? to)
        => from is { } start && to is { } end ? (end - start).TotalSeconds : null;
}
