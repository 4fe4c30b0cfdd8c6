namespace Observability.AppHost.Monitoring;

/// <summary>
/// The servers' own metrics for Prometheus: the machine's <c>prometheus-redis-exporter</c> and
/// <c>prometheus-postgres-exporter</c> (Debian's packages) as executables, connected with the server's connection
/// properties (host, port, user, password), each a child of its server in the dashboard.
/// </summary>
internal static class ExporterBuilderExtensions
{
    /// <summary>The name of an exporter's http endpoint (<c>/metrics</c>).</summary>
    public const string EndpointName = "http";

    /// <summary>redis_exporter (<c>redis_*</c>) for <paramref name="redis"/>, on a loopback port DCP picks.</summary>
    public static IResourceBuilder<ExecutableResource> AddRedisExporter(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<IResourceWithConnectionString> redis)
    {
        var server = Properties(redis.Resource);
        return builder.AddExporter(name, "prometheus-redis-exporter", redis)
            .WithEnvironment("REDIS_ADDR", ReferenceExpression.Create($"redis://{server["Host"]}:{server["Port"]}"))
            .WithEnvironment("REDIS_PASSWORD", server["Password"]);
    }

    /// <summary>postgres_exporter (<c>pg_*</c>) for the server of <paramref name="database"/>, connected to that database.</summary>
    public static IResourceBuilder<ExecutableResource> AddPostgresExporter(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<IResourceWithConnectionString> database)
    {
        var server = Properties(database.Resource);
        return builder.AddExporter(name, "prometheus-postgres-exporter", database)
            .WithEnvironment("DATA_SOURCE_URI", ReferenceExpression.Create($"{server["Host"]}:{server["Port"]}/{server["DatabaseName"]}?sslmode=disable"))
            .WithEnvironment("DATA_SOURCE_USER", server["Username"])
            .WithEnvironment("DATA_SOURCE_PASS", server["Password"]);
    }

    private static IResourceBuilder<ExecutableResource> AddExporter(
        this IDistributedApplicationBuilder builder, string name, string command, IResourceBuilder<IResourceWithConnectionString> server)
    {
        var exporter = builder.AddExecutable(name, command, builder.AppHostDirectory)
            .WithHttpEndpoint(name: EndpointName);
        var endpoint = exporter.GetEndpoint(EndpointName);
        return exporter
            .WithArgs(context => context.Args.Add(ReferenceExpression.Create($"--web.listen-address=127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}")))
            .WithHttpHealthCheck("/metrics", endpointName: EndpointName)
            .WithParentRelationship(server)
            .WaitFor(server)
            .WithIconName("DataHistogram")
            .ExcludeFromManifest();
    }

    private static Dictionary<string, ReferenceExpression> Properties(IResourceWithConnectionString server) =>
        server.GetConnectionProperties().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
