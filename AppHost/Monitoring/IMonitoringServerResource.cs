namespace Observability.AppHost.Monitoring;

/// <summary>
/// Prometheus or Alertmanager, as a local executable or a container: its files in the AppHost's data directory and the
/// host name under which it reaches what runs on the machine (<c>localhost</c>, or <c>host.docker.internal</c> from a
/// container).
/// </summary>
internal interface IMonitoringServerResource : IResourceWithEndpoints, IResourceWithArgs, IResourceWithWaitSupport
{
    /// <summary>The name of its one http endpoint (UI and API).</summary>
    public const string PrimaryEndpointName = "http";

    /// <summary>Where this run's configuration is written (regenerated at every start), in the AppHost's data directory.</summary>
    string ConfigurationDirectory { get; }

    /// <summary>How it reaches a service of this run listening on <c>localhost</c>.</summary>
    string HostName { get; }

    EndpointReference PrimaryEndpoint { get; }
}
