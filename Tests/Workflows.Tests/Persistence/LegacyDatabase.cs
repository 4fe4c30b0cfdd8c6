using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Observability.Workflows.Tests.Persistence;

/// <summary>
/// Makes a database exactly as the hand-written SQL migrator of earlier releases left it: the released scripts
/// <c>Legacy/0001_initial.sql</c> and <c>Legacy/0002_alerts_and_keyset_indexes.sql</c> (kept verbatim), each
/// recorded in <c>schema_migrations</c> (version, name, SHA-256 of the LF text, applied_at) as that migrator did.
/// </summary>
internal static class LegacyDatabase
{
    private static readonly (int Version, string Name)[] Scripts = [(1, "0001_initial"), (2, "0002_alerts_and_keyset_indexes")];

    public static async Task CreateAsync(string connectionString, int upToVersion, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)", cancellationToken);
        foreach (var (version, name) in Scripts.Where(s => s.Version <= upToVersion))
        {
            var sql = Read(name);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var script = new NpgsqlCommand(sql, connection, transaction))
            {
                await script.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations VALUES ($1, $2, $3, now())", connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = version });
                record.Parameters.Add(new NpgsqlParameter { Value = name });
                record.Parameters.Add(new NpgsqlParameter { Value = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))) });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static string Read(string name)
    {
        using var stream = typeof(LegacyDatabase).Assembly.GetManifestResourceStream($"Legacy.{name}.sql")
            ?? throw new InvalidOperationException($"The legacy script {name}.sql is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
