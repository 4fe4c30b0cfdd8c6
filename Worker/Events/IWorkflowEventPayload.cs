using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>
/// An event's payload: a small value that writes its members straight onto the event's <see cref="Utf8JsonWriter"/>
/// (<see cref="WorkflowEventWriter"/> opens and closes the payload's object), with no JSON document built first.
/// </summary>
internal interface IWorkflowEventPayload
{
    /// <summary>Writes the payload's properties, in order, inside the payload object the caller opened.</summary>
    void WriteProperties(Utf8JsonWriter writer);
}
