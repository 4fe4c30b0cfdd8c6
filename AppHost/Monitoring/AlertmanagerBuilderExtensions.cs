using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Observability.AppHost.LocalServers;

namespace Observability.AppHost.Monitoring;

/// <summary>Adds Alertmanager on monitoring/alertmanager/alertmanager.yml, rendered for this run.</summary>
internal static class AlertmanagerBuilderExtensions
{
    private const int ContainerPort = 9093;
    private const string Image = "prom/alertmanager";
    private const string Tag = "v0.28.1";

    /// <summary>
    /// The machine's <c>prometheus-alertmanager</c> on a port DCP picks (loopback only, clustering off), its configuration
    /// rendered from the environment at every start (unset receivers point nowhere), its state kept in the AppHost's
    /// data directory. Excluded from the manifest.
    /// </summary>
    public static IResourceBuilder<AlertmanagerResource> AddLocalAlertmanager(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var alertmanager = new AlertmanagerResource(name, LocalDataDirectory.For(builder, name));
        var endpoint = alertmanager.PrimaryEndpoint;
        return builder.AddResource(alertmanager)
            .WithHttpEndpoint(name: IMonitoringServerResource.PrimaryEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add($"--config.file={Path.Combine(alertmanager.ConfigurationDirectory, "alertmanager.yml")}");
                context.Args.Add($"--storage.path={alertmanager.StorageDirectory}");
                context.Args.Add(ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add("--cluster.listen-address=");
            })
            .WithAlertmanagerDefaults(MonitoringFiles.Root(builder));
    }

    /// <summary>
    /// <c>prom/alertmanager</c> where a container engine answers: the rendered configuration bind-mounted from the
    /// AppHost's data directory, its state in a named volume. Excluded from the manifest.
    /// </summary>
    public static IResourceBuilder<AlertmanagerContainerResource> AddAlertmanagerContainer(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var alertmanager = new AlertmanagerContainerResource(name, LocalDataDirectory.For(builder, name));
        Directory.CreateDirectory(alertmanager.ConfigurationDirectory);
        var resource = builder.AddResource(alertmanager);
        return resource
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: ContainerPort, name: IMonitoringServerResource.PrimaryEndpointName)
            .WithBindMount(alertmanager.ConfigurationDirectory, AlertmanagerContainerResource.ConfigurationMountPath, isReadOnly: true)
            .WithVolume(VolumeNameGenerator.Generate(resource, "data"), "/alertmanager")
            .WithArgs($"--config.file={AlertmanagerContainerResource.ConfigurationMountPath}/alertmanager.yml", "--storage.path=/alertmanager", "--cluster.listen-address=")
            .WithAlertmanagerDefaults(MonitoringFiles.Root(builder));
    }

    /// <summary>Health from <c>/-/ready</c>, its UI as a URL, the configuration rendered before it starts.</summary>
    private static IResourceBuilder<T> WithAlertmanagerDefaults<T>(this IResourceBuilder<T> builder, string monitoringRoot)
        where T : IMonitoringServerResource =>
        builder
            .WithHttpHealthCheck("/-/ready", endpointName: IMonitoringServerResource.PrimaryEndpointName)
            .WithUrlForEndpoint(IMonitoringServerResource.PrimaryEndpointName, url => url.DisplayText = "Alertmanager")
            .WithIconName("AlertUrgent")
            .ExcludeFromManifest()
            .OnBeforeResourceStarted((resource, @event, _) =>
            {
                var unset = MonitoringFiles.RenderAlertmanagerConfiguration(
                    monitoringRoot, resource.ConfigurationDirectory, @event.Services.GetRequiredService<IConfiguration>());
                if (unset.Count > 0)
                {
                    MonitoringLog.ReceiversUnconfigured(@event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource), string.Join(", ", unset));
                }

                return Task.CompletedTask;
            });
}
