using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>Queued: when the run was queued, this execution's attempt, and whether it resumes an earlier attempt's plan.</summary>
internal readonly record struct QueuedPayload(DateTimeOffset QueuedAt, int Attempt, bool Resumed) : IWorkflowEventPayload
{
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.QueuedAt, QueuedAt);
        writer.WriteNumber(PayloadNames.Attempt, Attempt);
        writer.WriteBoolean(PayloadNames.Resumed, Resumed);
    }
}
