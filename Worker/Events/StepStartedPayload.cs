using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>StepStarted: the step's key and its agent.</summary>
internal readonly record struct StepStartedPayload(string Step, string Agent) : IWorkflowEventPayload
{
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.Step, Step);
        writer.WriteString(PayloadNames.Agent, Agent);
    }
}
