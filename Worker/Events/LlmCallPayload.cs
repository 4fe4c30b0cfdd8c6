using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>LlmCall: the step, the model that answered (null when neither the reply nor the run names one), tokens, cost in USD and the call's duration.</summary>
internal readonly record struct LlmCallPayload(string Step, string? Model, int InputTokens, int OutputTokens, decimal Cost, double DurationSeconds)
    : IWorkflowEventPayload
{
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.Step, Step);
        writer.WriteString(PayloadNames.Model, Model);
        writer.WriteNumber(PayloadNames.InputTokens, InputTokens);
        writer.WriteNumber(PayloadNames.OutputTokens, OutputTokens);
        writer.WriteNumber(PayloadNames.Cost, Cost);
        writer.WriteNumber(PayloadNames.DurationSeconds, DurationSeconds);
    }
}
