namespace Observability.AppHost.Monitoring;

/// <summary>
/// Prometheus as the machine's own <c>prometheus</c> (Debian's package), run by DCP as an executable on the
/// configuration and rules of monitoring/prometheus, its TSDB kept in the AppHost's data directory.
/// </summary>
internal sealed class PrometheusResource(string name, string dataDirectory)
    : ExecutableResource(name, "prometheus", dataDirectory), IMonitoringServerResource
{
    private EndpointReference? _primaryEndpoint;

    public string ConfigurationDirectory => Path.Combine(WorkingDirectory, "config");

    /// <summary>The TSDB (<c>--storage.tsdb.path</c>), kept across runs.</summary>
    public string StorageDirectory => Path.Combine(WorkingDirectory, "data");

    public string HostName => "localhost";

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, IMonitoringServerResource.PrimaryEndpointName);
}
