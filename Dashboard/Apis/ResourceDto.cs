namespace Observability.Dashboard.Apis;

/// <summary>A resource (service + instance) with how much of each signal is stored for it.</summary>
internal sealed record ResourceDto(int Id, string Name, string ServiceName, string? InstanceId, Dictionary<string, string> Attributes,
    int Traces, int Logs, int MetricSeries);
