namespace Observability.Dashboard.Storage;

/// <summary>Decoded items of one OTLP <c>Resource*</c> message, before the resource is registered.</summary>
internal sealed class ResourceGroup<T>(TelemetryAttribute[] resourceAttributes, List<T> items)
{
    public TelemetryAttribute[] ResourceAttributes { get; } = resourceAttributes;

    public List<T> Items { get; } = items;
}
