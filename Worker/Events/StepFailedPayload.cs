using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>StepCompleted for a step that failed: its key, status <c>Failed</c> and the error.</summary>
internal readonly record struct StepFailedPayload(string Step, string Error) : IWorkflowEventPayload
{
    private static readonly JsonEncodedText Failed = JsonEncodedText.Encode("Failed");

    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.Step, Step);
        writer.WriteString(PayloadNames.Status, Failed);
        writer.WriteString(PayloadNames.Error, Error);
    }
}
