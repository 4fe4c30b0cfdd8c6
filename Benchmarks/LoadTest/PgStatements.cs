using Npgsql;

namespace Observability.LoadTest;

/// <summary>
/// <c>pg_stat_statements</c> over the measured window (<c>--pg-statements N</c>): reset when the warm-up ends, read when
/// the schedule ends; every process's statements (Gateway, relay, workers, hub) in the platform's database.
/// </summary>
internal static class PgStatements
{
    /// <summary>The PostgreSQL server settings the extension needs.</summary>
    public static IReadOnlyList<string> ServerSettings { get; } = ["shared_preload_libraries=pg_stat_statements"];

    public static async Task CreateExtensionAsync(string database, CancellationToken cancellationToken)
    {
        await using var dataSource = Open(database);
        await using var command = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task ResetAsync(string database, CancellationToken cancellationToken)
    {
        await using var dataSource = Open(database);
        await using var command = dataSource.CreateCommand("SELECT pg_stat_statements_reset()");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <paramref name="top"/> statements of the platform's database by total execution time, and the totals of all.</summary>
    public static async Task<PgStatementsWindow> ReadAsync(string database, int top, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT s.query, s.calls, s.total_exec_time, s.rows, s.wal_bytes::bigint,
                sum(s.calls) OVER ()::bigint, sum(s.total_exec_time) OVER ()
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = current_database()
            ORDER BY s.total_exec_time DESC
            LIMIT $1
            """;
        await using var dataSource = Open(database);
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = top });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var statements = new List<PgStatement>(top);
        long totalCalls = 0;
        double totalMs = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            statements.Add(new PgStatement(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetInt64(4)));
            totalCalls = reader.GetInt64(5);
            totalMs = reader.GetDouble(6);
        }

        return new PgStatementsWindow(statements, totalCalls, totalMs);
    }

    // A PostgreSQL saturated by the platform may take longer than Npgsql's default 15 s to hand out a connection.
    private static NpgsqlDataSource Open(string database)
        => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { Timeout = 120, CommandTimeout = 120 });
}

/// <summary>One normalised statement's figures over the window (execution time in ms).</summary>
internal sealed record PgStatement(string Query, long Calls, double ExecMs, long Rows, long WalBytes);

/// <summary>The top statements and the totals of every statement over the window.</summary>
internal sealed record PgStatementsWindow(IReadOnlyList<PgStatement> Top, long TotalCalls, double TotalExecMs);
