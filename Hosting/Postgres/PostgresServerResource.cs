using System.Globalization;
using Npgsql;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Health;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Postgres;

/// <summary>
/// A PostgreSQL server: a cluster initialised once under the state directory and run with local <c>postgres</c>
/// (as the <c>postgres</c> user when the host is root), or the <c>postgres</c> image when a container engine answers.
/// </summary>
public sealed class PostgresServerResource : Resource, IResourceWithConnectionString
{
    private const string Image = "docker.io/library/postgres:17";

    internal PostgresServerResource(string name, ParameterResource password)
        : base(name)
    {
        Password = password;
        Endpoints.Add(new ResourceEndpoint("tcp", "tcp", FixedPort: null));
    }

    /// <summary>The superuser's name.</summary>
    public static string UserName => "postgres";

    /// <summary>The superuser's password.</summary>
    public ParameterResource Password { get; }

    internal int Port => Endpoint("tcp").Port(0);

    /// <inheritdoc />
    public string GetConnectionString() => new NpgsqlConnectionStringBuilder
    {
        Host = ResourceEndpoint.Host,
        Port = Port,
        Username = UserName,
        Password = Password.Value,
    }.ConnectionString;

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetConnectionProperties() => ConnectionProperties(database: null);

    internal IEnumerable<KeyValuePair<string, string>> ConnectionProperties(string? database)
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        yield return new("HOST", ResourceEndpoint.Host);
        yield return new("PORT", port);
        yield return new("USERNAME", UserName);
        yield return new("PASSWORD", Password.Value);
        yield return new("URI", $"postgresql://{UserName}:{Uri.EscapeDataString(Password.Value)}@{ResourceEndpoint.Host}:{port}{(database is null ? string.Empty : "/" + database)}");
        if (database is not null)
        {
            yield return new("DATABASENAME", database);
        }
    }

    internal override async Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken)
    {
        var runtime = await context.Host.Runtimes.SelectAsync("postgres", PostgresBinaries.Find("postgres") is not null ? PostgresBinaries.Find("initdb") : null, "postgresql", cancellationToken).ConfigureAwait(false);
        var directory = context.Host.StateDirectoryFor(Name);
        var port = context.Port("tcp").ToString(CultureInfo.InvariantCulture);
        if (runtime.Container is { } container)
        {
            var containerSpec = new ProcessSpec(
                container.Executable,
                ["run", "--rm", "--name", context.InstanceId, "-p", $"{ResourceEndpoint.Host}:{port}:5432", "-e", "POSTGRES_PASSWORD", Image],
                directory,
                new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = Password.Value });
            return await context.Host.Launcher.StartAsync(containerSpec, context.Log, context.InstanceId).ConfigureAwait(false);
        }

        var cluster = new PostgresCluster(directory, UserName);
        await cluster.EnsureInitializedAsync(context, Password.Value, cancellationToken).ConfigureAwait(false);
        List<string> arguments =
        [
            "-D", cluster.DataDirectory,
            "-p", port,
            "-c", $"listen_addresses={ResourceEndpoint.Host}",
            "-c", $"unix_socket_directories={cluster.DataDirectory}",
        ];
        if (context.Host.Options.EphemeralState)
        {
            // A throw-away cluster (tests): durability buys nothing.
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        var spec = new ProcessSpec(PostgresBinaries.Find("postgres")!, arguments, directory, new Dictionary<string, string?>())
        {
            RunAsUser = UserName,
            StopSignal = NativeMethods.SigInt, // fast shutdown: open transactions roll back, then it exits
        };
        return await context.Host.Launcher.StartAsync(spec, context.Log, context.InstanceId).ConfigureAwait(false);
    }

    internal override IHealthProbe CreateHealthProbe(ReplicaContext context) =>
        new PostgresProbe(GetConnectionString() + ";Database=postgres", $"SELECT 1 on postgres at {ResourceEndpoint.Host}:{Port.ToString(CultureInfo.InvariantCulture)}");
}
