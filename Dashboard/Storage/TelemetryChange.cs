namespace Observability.Dashboard.Storage;

/// <summary>A notification that new telemetry of one signal arrived from one resource.</summary>
internal sealed record TelemetryChange(string Signal, int ResourceId, string Service, long Count);
