using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>StepCompleted for a step that completed: its key, status <c>Completed</c>, tokens and cost in USD.</summary>
internal readonly record struct StepCompletedPayload(string Step, int InputTokens, int OutputTokens, decimal Cost) : IWorkflowEventPayload
{
    private static readonly JsonEncodedText Completed = JsonEncodedText.Encode("Completed");

    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.Step, Step);
        writer.WriteString(PayloadNames.Status, Completed);
        writer.WriteNumber(PayloadNames.InputTokens, InputTokens);
        writer.WriteNumber(PayloadNames.OutputTokens, OutputTokens);
        writer.WriteNumber(PayloadNames.Cost, Cost);
    }
}
