using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>Cancelled: status <c>Cancelled</c>.</summary>
internal readonly record struct CancelledPayload : IWorkflowEventPayload
{
    private static readonly JsonEncodedText Cancelled = JsonEncodedText.Encode("Cancelled");

    public void WriteProperties(Utf8JsonWriter writer) => writer.WriteString(PayloadNames.Status, Cancelled);
}
