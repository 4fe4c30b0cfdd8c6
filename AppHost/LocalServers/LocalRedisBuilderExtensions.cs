using Microsoft.Extensions.DependencyInjection;

namespace Observability.AppHost.LocalServers;

/// <summary>Adds Redis from the local <c>redis-server</c> binary (see <see cref="LocalRedisResource"/>).</summary>
internal static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// A <c>redis-server</c> on a port DCP picks, password-protected, its snapshot (<c>dump.rdb</c>) kept in the
    /// per-user data directory; healthy once it answers PING with the password, which <c>WaitFor</c> honours.
    /// Excluded from the manifest: publishing describes Aspire's Redis container instead.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var redis = new LocalRedisResource(name, password, LocalDataDirectory.For(builder, "redis"));

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, ct) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"), name: healthCheckKey);

        var endpoint = redis.PrimaryEndpoint;
        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--requirepass");
                context.Args.Add(redis.PasswordParameter);
                context.Args.Add("--dir");
                context.Args.Add(redis.WorkingDirectory);
                context.Args.Add("--save");
                context.Args.Add("60 1");
                context.Args.Add("--appendonly"); // see docs/reliability.md: a crash loses at most ~1 s of writes
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                context.Args.Add("--daemonize");
                context.Args.Add("no");
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
