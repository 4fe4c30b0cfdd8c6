namespace Observability.AppHost.Monitoring;

/// <summary>The application's monitoring as AppHost resources, on one switch.</summary>
internal static class MonitoringBuilderExtensions
{
    /// <summary>Off by default; <c>--AppHost:Monitoring=true</c> (or <c>AppHost__Monitoring=true</c>) turns it on.</summary>
    public const string ConfigurationKey = "AppHost:Monitoring";

    /// <summary>
    /// <c>prometheus</c> scraping every replica of <paramref name="services"/> with the rules of monitoring/prometheus,
    /// alerting <c>alertmanager</c>: the machine's binaries when <paramref name="local"/> (as for Redis and PostgreSQL),
    /// then with <c>redis-exporter</c> and <c>postgres-exporter</c> for <paramref name="redis"/> and
    /// <paramref name="database"/>'s server; containers otherwise (without exporters). Run mode only: the published
    /// manifest never has them.
    /// </summary>
    public static void AddMonitoring(
        this IDistributedApplicationBuilder builder,
        bool local,
        IResourceBuilder<IResourceWithConnectionString> redis,
        IResourceBuilder<IResourceWithConnectionString> database,
        params IResourceBuilder<IResourceWithEndpoints>[] services)
    {
        if (local)
        {
            var alertmanager = builder.AddLocalAlertmanager("alertmanager");
            builder.AddLocalPrometheus("prometheus")
                .WithAlertmanager(alertmanager)
                .WithScrapeTargets(services)
                .WithExporter(builder.AddRedisExporter("redis-exporter", redis), "redis")
                .WithExporter(builder.AddPostgresExporter("postgres-exporter", database), "postgres");
        }
        else
        {
            var alertmanager = builder.AddAlertmanagerContainer("alertmanager");
            builder.AddPrometheusContainer("prometheus").WithAlertmanager(alertmanager).WithScrapeTargets(services);
        }
    }
}
