using Microsoft.Extensions.Logging;
using Npgsql;

namespace Observability.Workflows.Migrations;

/// <summary>
/// Brings the database to the newest schema version this build carries. Holds a PostgreSQL advisory lock for the
/// whole run so instances starting together apply each script once (the others wait, then find nothing pending);
/// applies each pending script and its <c>schema_migrations</c> row in one transaction; refuses to go on when an
/// applied script's checksum no longer matches, or the database has a version this build does not know.
/// </summary>
public sealed class SchemaMigrator
{
    /// <summary>The advisory lock key: the ASCII of "wf-schm" as a 64-bit number, so no other lock user collides by chance.</summary>
    internal const long AdvisoryLockKey = 0x77662D7363686D;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SchemaMigrator> _logger;
    private readonly IReadOnlyList<MigrationScript> _scripts;

    public SchemaMigrator(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<SchemaMigrator> logger)
    {
        _dataSource = dataSource;
        _timeProvider = timeProvider;
        _logger = logger;
        _scripts = MigrationScript.LoadEmbedded();
    }

    /// <summary>The newest version this build carries.</summary>
    public int LatestVersion => _scripts[^1].Version;

    /// <summary>Applies every pending script up to <paramref name="targetVersion"/> (default: the latest); returns the versions applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var target = targetVersion ?? LatestVersion;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                connection,
                null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)",
                cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            Verify(applied);

            var done = new List<int>();
            foreach (var script in _scripts.Where(s => s.Version <= target && !applied.ContainsKey(s.Version)))
            {
                await ApplyAsync(connection, script, cancellationToken).ConfigureAwait(false);
                done.Add(script.Version);
            }

            if (done.Count == 0)
            {
                WorkflowsLog.SchemaUpToDate(_logger, applied.Count == 0 ? 0 : applied.Keys.Max());
            }

            return done;
        }
        finally
        {
            // Unlock even when cancelled: the connection goes back to the pool and must not keep the lock.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Verify(Dictionary<int, (string Name, string Checksum)> applied)
    {
        foreach (var (version, (name, checksum)) in applied)
        {
            var script = _scripts.FirstOrDefault(s => s.Version == version)
                ?? throw new SchemaMigrationException(
                    $"The database has schema version {version} ('{name}') which this build does not carry (newest here: {LatestVersion}). Deploy a build that has it.");
            if (!string.Equals(script.Checksum, checksum, StringComparison.Ordinal))
            {
                throw new SchemaMigrationException(
                    $"Migration {version} ('{script.Name}') was changed after it was applied: recorded checksum {checksum}, script checksum {script.Checksum}. Applied migrations must never be edited; add a new script instead.");
            }
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, script.Sql, cancellationToken).ConfigureAwait(false);
        await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
            record.Parameters.Add(new NpgsqlParameter { Value = _timeProvider.GetUtcNow() });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        WorkflowsLog.MigrationApplied(_logger, script.Version, script.Name);
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, (string, string)>();
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
