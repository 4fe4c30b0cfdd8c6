using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Observability.AppHost.LocalServers;

namespace Observability.AppHost.Monitoring;

/// <summary>Adds Prometheus on monitoring/prometheus, scraping this run's replicas (see <see cref="ScrapeTargets"/>).</summary>
internal static class PrometheusBuilderExtensions
{
    /// <summary>The port Prometheus listens on in its container.</summary>
    public const int ContainerPort = 9090;
    private const string Image = "prom/prometheus";
    private const string Tag = "v2.55.1";

    /// <summary>
    /// The machine's <c>prometheus</c> on a port DCP picks (loopback only), its configuration regenerated in the AppHost's
    /// data directory at every start, its TSDB kept there. Excluded from the manifest.
    /// </summary>
    public static IResourceBuilder<PrometheusResource> AddLocalPrometheus(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var prometheus = new PrometheusResource(name, LocalDataDirectory.For(builder, name));
        var endpoint = prometheus.PrimaryEndpoint;
        return builder.AddResource(prometheus)
            .WithHttpEndpoint(name: IMonitoringServerResource.PrimaryEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add($"--config.file={Path.Combine(prometheus.ConfigurationDirectory, "prometheus.yml")}");
                context.Args.Add($"--storage.tsdb.path={prometheus.StorageDirectory}");
                context.Args.Add(ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}"));
            })
            .WithPrometheusDefaults(MonitoringFiles.Root(builder));
    }

    /// <summary>
    /// <c>prom/prometheus</c> where a container engine answers: the configuration bind-mounted from the AppHost's data
    /// directory, the TSDB in a named volume, the services reached through <c>host.docker.internal</c>. Excluded from
    /// the manifest.
    /// </summary>
    public static IResourceBuilder<PrometheusContainerResource> AddPrometheusContainer(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var prometheus = new PrometheusContainerResource(name, LocalDataDirectory.For(builder, name));
        Directory.CreateDirectory(prometheus.ConfigurationDirectory);
        var resource = builder.AddResource(prometheus);
        return resource
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: ContainerPort, name: IMonitoringServerResource.PrimaryEndpointName)
            .WithBindMount(prometheus.ConfigurationDirectory, PrometheusContainerResource.ConfigurationMountPath, isReadOnly: true)
            .WithVolume(VolumeNameGenerator.Generate(resource, "data"), "/prometheus")
            .WithContainerRuntimeArgs("--add-host=host.docker.internal:host-gateway")
            .WithArgs($"--config.file={PrometheusContainerResource.ConfigurationMountPath}/prometheus.yml", "--storage.tsdb.path=/prometheus")
            .WithPrometheusDefaults(MonitoringFiles.Root(builder));
    }

    /// <summary>Scrapes <c>/metrics</c> of every running replica of each resource, with <c>job</c> = the resource's name.</summary>
    public static IResourceBuilder<T> WithScrapeTargets<T>(this IResourceBuilder<T> builder, params IResourceBuilder<IResourceWithEndpoints>[] targets)
        where T : IMonitoringServerResource
    {
        foreach (var target in targets)
        {
            builder.WithAnnotation(new ScrapeTargetAnnotation(target.Resource)).WithRelationship(target.Resource, "Scrapes");
        }

        return builder;
    }

    /// <summary>Scrapes the exporter's <c>/metrics</c> with <c>job</c> = <paramref name="job"/> (<c>redis</c>, <c>postgres</c>: the rules' names).</summary>
    public static IResourceBuilder<T> WithExporter<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithEndpoints> exporter, string job)
        where T : IMonitoringServerResource =>
        builder.WithAnnotation(new ExporterTargetAnnotation(exporter.Resource, job)).WithRelationship(exporter.Resource, "Scrapes");

    /// <summary>Sends alerts to <paramref name="alertmanager"/>, once it is ready.</summary>
    public static IResourceBuilder<T> WithAlertmanager<T, TAlertmanager>(this IResourceBuilder<T> builder, IResourceBuilder<TAlertmanager> alertmanager)
        where T : IMonitoringServerResource
        where TAlertmanager : class, IMonitoringServerResource =>
        builder.WithAnnotation(new AlertmanagerAnnotation(alertmanager.Resource))
            .WithRelationship(alertmanager.Resource, "Alerts")
            .WaitFor(alertmanager);

    /// <summary>Health from <c>/-/ready</c>, its UI, targets and alerts as URLs, this run's files written before it starts.</summary>
    private static IResourceBuilder<T> WithPrometheusDefaults<T>(this IResourceBuilder<T> builder, string monitoringRoot)
        where T : IMonitoringServerResource =>
        builder
            .WithHttpHealthCheck("/-/ready", endpointName: IMonitoringServerResource.PrimaryEndpointName)
            .WithUrlForEndpoint(IMonitoringServerResource.PrimaryEndpointName, url => url.DisplayText = "Prometheus")
            .WithUrlForEndpoint(IMonitoringServerResource.PrimaryEndpointName, _ => new() { Url = "/targets", DisplayText = "Scrape targets" })
            .WithUrlForEndpoint(IMonitoringServerResource.PrimaryEndpointName, _ => new() { Url = "/alerts", DisplayText = "Alert rules" })
            .WithIconName("DataHistogram")
            .ExcludeFromManifest()
            .OnBeforeResourceStarted(async (resource, _, ct) =>
            {
                MonitoringFiles.CopyPrometheusConfiguration(monitoringRoot, resource.ConfigurationDirectory);
                await ScrapeTargets.WriteFixedTargetsAsync(resource, ct).ConfigureAwait(false);
            })
            .OnInitializeResource((resource, @event, startup) =>
            {
                // For as long as the application runs (the event's token belongs to the start-up).
                var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = ScrapeTargets.FollowServicesAsync(resource, @event.Notifications, @event.Logger, stopping);
                return Task.CompletedTask;
            });
}
