namespace Observability.AppHost.Monitoring;

/// <summary>
/// Prometheus as the <c>prom/prometheus</c> container, where a container engine answers: this run's configuration
/// bind-mounted from the AppHost's data directory, its TSDB in a named volume; it reaches the services through
/// <c>host.docker.internal</c>.
/// </summary>
internal sealed class PrometheusContainerResource(string name, string dataDirectory)
    : ContainerResource(name), IMonitoringServerResource
{
    public const string ConfigurationMountPath = "/etc/prometheus";
    private EndpointReference? _primaryEndpoint;

    public string ConfigurationDirectory { get; } = Path.Combine(dataDirectory, "config");

    public string HostName => "host.docker.internal";

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMonitoringServerResource.PrimaryEndpointName);
}
