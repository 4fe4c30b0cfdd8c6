using System.Globalization;
using Npgsql;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Health;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Postgres;

/// <summary>A database inside a PostgreSQL server, created when the server is healthy (if it does not exist yet).</summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    internal PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
        : base(name)
    {
        if (!databaseName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || !char.IsAsciiLetter(databaseName[0]))
        {
            throw new ArgumentException($"Database name '{databaseName}' must start with a letter and hold only letters, digits and '_'.", nameof(databaseName));
        }

        DatabaseName = databaseName;
        Parent = parent;
        WaitsForHealthy.Add(parent);
    }

    /// <summary>The database's name in the server.</summary>
    public string DatabaseName { get; }

    /// <summary>The server.</summary>
    public PostgresServerResource Parent { get; }

    /// <inheritdoc />
    public string GetConnectionString() => new NpgsqlConnectionStringBuilder(Parent.GetConnectionString()) { Database = DatabaseName }.ConnectionString;

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetConnectionProperties() => Parent.ConnectionProperties(DatabaseName);

    internal override async Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(Parent.GetConnectionString()) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = DatabaseName } } };
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            // The name is validated (letters, digits, '_'), so quoting it is enough.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            context.Log.Add(context.InstanceId, isError: false, $"Created database '{DatabaseName}'.");
        }

        return new ResidentInstance();
    }

    internal override IHealthProbe CreateHealthProbe(ReplicaContext context) =>
        new PostgresProbe(GetConnectionString(), $"SELECT 1 on database {DatabaseName} at {ResourceEndpoint.Host}:{Parent.Port.ToString(CultureInfo.InvariantCulture)}");
}
