using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Observability.AppHost.LocalServers;

/// <summary>Adds PostgreSQL from the local binaries (see <see cref="LocalPostgresServerResource"/>).</summary>
internal static class LocalPostgresBuilderExtensions
{
    private const string BinariesRoot = "/usr/lib/postgresql";

    /// <summary>
    /// A <c>postgres</c> on a port DCP picks, listening on loopback only, with password authentication; the cluster is
    /// created by <c>initdb</c> before the first start and kept in the per-user data directory. The password is a
    /// generated parameter kept in user secrets (the cluster keeps it from its first run). Healthy once
    /// <c>SELECT 1</c> answers. Excluded from the manifest: publishing describes Aspire's PostgreSQL container instead.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var password = builder.AddParameter(
            $"{name}-password",
            new GenerateParameterDefault { MinLength = 22, Special = false },
            secret: true,
            persist: true).Resource;
        var (command, prefix) = RunAs.Command(Binary("postgres"), LocalPostgresServerResource.UserName);
        var server = new LocalPostgresServerResource(name, command, LocalDataDirectory.For(builder, "postgres"), password);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"), name: healthCheckKey);

        var endpoint = server.PrimaryEndpoint;
        return builder.AddResource(server)
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                foreach (var arg in prefix)
                {
                    context.Args.Add(arg);
                }

                context.Args.Add("-D");
                context.Args.Add(server.ClusterDirectory);
                context.Args.Add("-p");
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
                context.Args.Add("-c");
                context.Args.Add($"unix_socket_directories={server.WorkingDirectory}");
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest()
            .OnBeforeResourceStarted((resource, @event, ct) => PostgresCluster.EnsureCreatedAsync(resource, @event.Services, ct))
            .OnResourceReady((resource, @event, ct) => CreateDatabasesAsync(resource, @event.Services, ct));
    }

    /// <summary>A database on the local server, created once the server is ready; healthy once it accepts connections.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases[name] = database.DatabaseName;

        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(_ => connectionString ?? throw new InvalidOperationException("Connection string is unavailable"), name: healthCheckKey);

        // DCP runs only the server; Aspire mirrors a container's state onto its children but not an executable's.
        builder.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, ct) =>
        {
            _ = MirrorParentStateAsync(database, @event.Notifications, ct);
            return Task.CompletedTask;
        });

        return builder.ApplicationBuilder.AddResource(database)
            .WithParentRelationship(builder)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Publishes the server's state, start and stop times as the database's, for as long as the app runs.</summary>
    private static async Task MirrorParentStateAsync(LocalPostgresDatabaseResource database, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ReferenceEquals(update.Resource, database.Parent))
                {
                    await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                    {
                        State = update.Snapshot.State,
                        StartTimeStamp = update.Snapshot.StartTimeStamp,
                        StopTimeStamp = update.Snapshot.StopTimeStamp,
                    }).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application is stopping.
        }
    }

    /// <summary>The binary from the newest installed major version, else the bare name (DCP then reports it missing).</summary>
    internal static string Binary(string name) =>
        (Directory.Exists(BinariesRoot) ? Directory.GetDirectories(BinariesRoot) : [])
            .Select(directory => Path.Combine(directory, "bin", name))
            .Where(File.Exists)
            .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var major) ? major : 0)
            .FirstOrDefault() ?? name;

    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var databaseName in server.Databases.Values)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {new NpgsqlCommandBuilder().QuoteIdentifier(databaseName)}";
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                LocalServersLog.DatabaseCreated(logger, databaseName);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Kept from an earlier run.
            }
        }
    }
}
