using System.Text.Json;
using Observability.Workflows.Runs;

namespace Observability.Worker.Events;

/// <summary>Completed or Failed: the run's status, totals (tokens, cost in USD), duration, attempt and, when it failed, why.</summary>
internal readonly record struct RunFinishedPayload(
    WorkflowRunStatus Status, long InputTokens, long OutputTokens, decimal Cost, double DurationSeconds, int Attempt, string? Reason)
    : IWorkflowEventPayload
{
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.Status, Status.ToString());
        writer.WriteNumber(PayloadNames.InputTokens, InputTokens);
        writer.WriteNumber(PayloadNames.OutputTokens, OutputTokens);
        writer.WriteNumber(PayloadNames.Cost, Cost);
        writer.WriteNumber(PayloadNames.DurationSeconds, DurationSeconds);
        writer.WriteNumber(PayloadNames.Attempt, Attempt);
        if (Reason is not null)
        {
            writer.WriteString(PayloadNames.Reason, Reason);
        }
    }
}
