using Npgsql;

namespace Observability.Workflows.Tests.Persistence;

/// <summary>
/// The workflow schema as PostgreSQL describes it (columns with type, nullability and default; constraints and
/// indexes with their names and definitions), one sorted line each, so two databases can be compared.
/// </summary>
internal static class SchemaCatalog
{
    private const string Sql = """
        SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relname NOT IN ('schema_migrations', '__EFMigrationsHistory')
        UNION ALL
        SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('schema_migrations', '"__EFMigrationsHistory"')
        UNION ALL
        SELECT 'index ' || indexdef
        FROM pg_indexes
        WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', '__EFMigrationsHistory')
        ORDER BY 1
        """;

    public static async Task<IReadOnlyList<string>> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
