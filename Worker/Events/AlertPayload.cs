using System.Text.Json;
using Observability.Workflows.Alerts;

namespace Observability.Worker.Events;

/// <summary>Alert: the threshold crossed, its value and the observed one, and the stored alert's id when it could be stored.</summary>
internal readonly record struct AlertPayload(AlertKind Kind, double Threshold, double ObservedValue, Guid? AlertId) : IWorkflowEventPayload
{
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(PayloadNames.Kind, Kind.ToString());
        writer.WriteNumber(PayloadNames.Threshold, Threshold);
        writer.WriteNumber(PayloadNames.ObservedValue, ObservedValue);
        if (AlertId is { } id)
        {
            writer.WriteString(PayloadNames.AlertId, id);
        }
    }
}
