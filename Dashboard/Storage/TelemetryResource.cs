namespace Observability.Dashboard.Storage;

/// <summary>A process that sends telemetry, identified by <c>service.name</c> and <c>service.instance.id</c>.</summary>
internal sealed class TelemetryResource(int id, string serviceName, string? instanceId, TelemetryAttribute[] attributes)
{
    /// <summary>The attribute every resource is named by; "unknown_service" when absent, as the SDKs do.</summary>
    public const string UnknownService = "unknown_service";

    public int Id { get; } = id;

    public string ServiceName { get; } = serviceName;

    public string? InstanceId { get; } = instanceId;

    /// <summary>The attributes of the first export seen from this resource.</summary>
    public TelemetryAttribute[] Attributes { get; } = attributes;

    /// <summary>"service" or "service/instance": how the API names a resource.</summary>
    public string DisplayName => InstanceId is null ? ServiceName : $"{ServiceName}/{InstanceId}";
}
