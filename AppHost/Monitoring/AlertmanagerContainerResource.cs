namespace Observability.AppHost.Monitoring;

/// <summary>
/// Alertmanager as the <c>prom/alertmanager</c> container, where a container engine answers: this run's rendered
/// configuration bind-mounted from the AppHost's data directory, its state in a named volume.
/// </summary>
internal sealed class AlertmanagerContainerResource(string name, string dataDirectory)
    : ContainerResource(name), IMonitoringServerResource
{
    public const string ConfigurationMountPath = "/etc/alertmanager";
    private EndpointReference? _primaryEndpoint;

    public string ConfigurationDirectory { get; } = Path.Combine(dataDirectory, "config");

    public string HostName => "host.docker.internal";

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMonitoringServerResource.PrimaryEndpointName);
}
