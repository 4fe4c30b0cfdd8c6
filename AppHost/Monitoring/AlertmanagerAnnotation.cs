namespace Observability.AppHost.Monitoring;

/// <summary>On a Prometheus resource: the Alertmanager it sends its alerts to.</summary>
internal sealed record AlertmanagerAnnotation(IMonitoringServerResource Alertmanager) : IResourceAnnotation;
