namespace Observability.AppHost.Monitoring;

/// <summary>
/// Alertmanager as the machine's own <c>prometheus-alertmanager</c> (Debian's package), run by DCP as an executable on
/// monitoring/alertmanager/alertmanager.yml rendered for this run, its silences and notification log kept in the
/// AppHost's data directory.
/// </summary>
internal sealed class AlertmanagerResource(string name, string dataDirectory)
    : ExecutableResource(name, "prometheus-alertmanager", dataDirectory), IMonitoringServerResource
{
    private EndpointReference? _primaryEndpoint;

    public string ConfigurationDirectory => Path.Combine(WorkingDirectory, "config");

    /// <summary>Silences and the notification log (<c>--storage.path</c>), kept across runs.</summary>
    public string StorageDirectory => Path.Combine(WorkingDirectory, "data");

    public string HostName => "localhost";

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMonitoringServerResource.PrimaryEndpointName);
}
