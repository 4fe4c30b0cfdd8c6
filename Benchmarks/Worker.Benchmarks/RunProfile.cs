using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Observability.TestInfrastructure.Processes;
using StackExchange.Redis;

namespace Observability.Worker.Benchmarks;

/// <summary>
/// <c>--profile</c>: where PostgreSQL's and redis-server's share of a completed run goes, over the measured window
/// (from the worker's first job to the last completed run). <c>pg_stat_statements</c> and Redis' command statistics
/// are reset when the window opens; PostgreSQL's table and transaction counters and the CPU of each kind of
/// PostgreSQL process are read at both ends. It only reads statistics: the worker's data is not touched.
/// </summary>
internal sealed partial class RunProfile : IAsyncDisposable
{
    private const int TopStatements = 15;
    private const int TopCommands = 10;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ConnectionMultiplexer _redis;
    private int _postmaster;
    private Snapshot? _start;

    private RunProfile(NpgsqlDataSource dataSource, ConnectionMultiplexer redis)
    {
        _dataSource = dataSource;
        _redis = redis;
    }

    /// <summary>PostgreSQL server settings the profile needs (planning is tracked too: custom plans show there).</summary>
    public static IReadOnlyList<string> PostgresSettings { get; } =
        ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_planning=on"];

    private IServer RedisAdmin => _redis.GetServer(_redis.GetEndPoints()[0]);

    /// <summary>Creates the extension in the benchmark's database and an admin connection to Redis.</summary>
    public static async Task<RunProfile> CreateAsync(NpgsqlDataSource dataSource, string redisConnectionString, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var options = ConfigurationOptions.Parse(redisConnectionString);
        options.AllowAdmin = true; // CONFIG RESETSTAT
        return new RunProfile(dataSource, await ConnectionMultiplexer.ConnectAsync(options));
    }

    /// <summary>Opens the window: counters read, then <c>pg_stat_statements_reset()</c> and <c>CONFIG RESETSTAT</c>.</summary>
    public async Task StartAsync(int postmaster, CancellationToken cancellationToken)
    {
        _postmaster = postmaster;
        _start = await SnapshotAsync(cancellationToken);
        await using (var command = _dataSource.CreateCommand("SELECT pg_stat_statements_reset()"))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await RedisAdmin.ConfigResetStatisticsAsync();
    }

    /// <summary>Prints the profile per completed run.</summary>
    public async Task PrintAsync(long runs, CancellationToken cancellationToken)
    {
        var start = _start ?? throw new InvalidOperationException("The profile's window was never opened.");
        var statements = await StatementsAsync(cancellationToken);
        var commands = await RedisAdmin.InfoAsync("commandstats");
        var redisStats = (await RedisAdmin.InfoAsync("stats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);

        // Backends flush their table counters at most once a second and an idle one within ~10 s: wait until stable.
        var end = await SnapshotAsync(cancellationToken);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15);)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var again = await SnapshotAsync(cancellationToken);
            var stable = again.Tables.All(t => end.Tables.TryGetValue(t.Key, out var e) && e == t.Value) && again.Commits == end.Commits;
            end = again with { Processes = end.Processes, PostmasterCpu = end.PostmasterCpu, ExitedChildrenCpu = end.ExitedChildrenCpu };
            if (stable)
            {
                break;
            }
        }

        var n = (double)runs;
        var w = Console.Out;
        w.WriteLine();
        w.WriteLine(Invariant($"Profile per completed run ({runs} runs, from the first job picked up to the last run completed)"));
        w.WriteLine();
        w.WriteLine("PostgreSQL statements (pg_stat_statements; exec/plan ms are wall time inside the backend, waits included), top by total time:");
        w.WriteLine("  calls/run   exec ms/run   mean ms   plans/run   plan ms/run   rows/run   WAL B/run   statement");
        foreach (var s in statements.OrderByDescending(s => s.ExecMs).Take(TopStatements))
        {
            w.WriteLine(Invariant($"  {s.Calls / n,9:F2}   {s.ExecMs / n,11:F3}   {s.ExecMs / Math.Max(1, s.Calls),7:F3}   {s.Plans / n,9:F2}   {s.PlanMs / n,11:F3}   {s.Rows / n,8:F2}   {s.WalBytes / n,9:F0}   {OneLine(s.Query)}"));
        }

        w.WriteLine(Invariant($"  {statements.Sum(s => s.Calls) / n,9:F2}   {statements.Sum(s => s.ExecMs) / n,11:F3}   {"",7}   {statements.Sum(s => s.Plans) / n,9:F2}   {statements.Sum(s => s.PlanMs) / n,11:F3}   {statements.Sum(s => s.Rows) / n,8:F2}   {statements.Sum(s => s.WalBytes) / n,9:F0}   total of {statements.Count} statements"));
        w.WriteLine(Invariant($"  transactions/run: {(end.Commits - start.Commits) / n:F2} committed, {(end.Rollbacks - start.Rollbacks) / n:F2} rolled back"));
        w.WriteLine();
        w.WriteLine("PostgreSQL tables (pg_stat_user_tables), per run: inserted, updated (of which HOT), deleted; autovacuum and autoanalyze runs in the window:");
        foreach (var (table, e) in end.Tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var s = start.Tables.GetValueOrDefault(table);
            var updated = e.Updated - s.Updated;
            if (e == s)
            {
                continue;
            }

            w.WriteLine(Invariant($"  {table,-28} ins {(e.Inserted - s.Inserted) / n,6:F2}   upd {updated / n,6:F2} (HOT {(updated == 0 ? 0 : (e.HotUpdated - s.HotUpdated) * 100.0 / updated),3:F0}%)   del {(e.Deleted - s.Deleted) / n,6:F2}   autovacuum {e.Autovacuums - s.Autovacuums}, autoanalyze {e.Autoanalyzes - s.Autoanalyzes}"));
        }

        w.WriteLine();
        w.WriteLine("PostgreSQL CPU by process kind (/proc utime+stime; ms per run):");
        foreach (var (kind, cpu) in CpuByKind(start, end).OrderByDescending(k => k.Value))
        {
            w.WriteLine(Invariant($"  {cpu * 1000 / n,7:F3}   {kind}"));
        }

        w.WriteLine();
        w.WriteLine("redis-server commands (INFO commandstats, top by time; µs are wall time of execution only, a script's include the commands it calls, which are listed too):");
        w.WriteLine("  calls/run   µs/run   µs/call   command");
        var parsed = commands.SelectMany(g => g).Where(p => p.Key.StartsWith("cmdstat_", StringComparison.Ordinal))
            .Select(p => (Command: p.Key["cmdstat_".Length..], Calls: Field(p.Value, "calls"), Usec: Field(p.Value, "usec"))).ToList();
        foreach (var c in parsed.OrderByDescending(c => c.Usec).Take(TopCommands))
        {
            w.WriteLine(Invariant($"  {c.Calls / n,9:F2}   {c.Usec / n,6:F1}   {c.Usec / Math.Max(1.0, c.Calls),7:F2}   {c.Command}"));
        }

        w.WriteLine(Invariant($"  {parsed.Sum(c => c.Calls) / n,9:F2}   {parsed.Sum(c => c.Usec) / n,6:F1}   {"",7}   total of {parsed.Count} commands (a script's µs counted again in the commands it calls)"));
        w.WriteLine(Invariant($"  per run: {Stat(redisStats, "total_commands_processed") / n:F2} commands processed, {Stat(redisStats, "total_reads_processed") / n:F2} socket reads, {Stat(redisStats, "total_writes_processed") / n:F2} socket writes, {Stat(redisStats, "total_net_input_bytes") / n:F0} B in, {Stat(redisStats, "total_net_output_bytes") / n:F0} B out"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    private async Task<List<Statement>> StatementsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT query, calls, total_exec_time, total_plan_time, plans, rows, wal_bytes::float8
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var statements = new List<Statement>();
        while (await reader.ReadAsync(cancellationToken))
        {
            statements.Add(new Statement(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetDouble(6)));
        }

        return statements;
    }

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var processes = new Dictionary<int, (string Kind, double Cpu)>();
        await using (var command = _dataSource.CreateCommand("SELECT pid, backend_type FROM pg_stat_activity"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var pid = reader.GetInt32(0);
                processes[pid] = (reader.IsDBNull(1) ? "unknown" : reader.GetString(1), ProcFs.CpuSeconds(pid));
            }
        }

        var tables = new Dictionary<string, TableCounters>(StringComparer.Ordinal);
        await using (var command = _dataSource.CreateCommand(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables[reader.GetString(0)] = new TableCounters(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
            }
        }

        long commits, rollbacks;
        await using (var command = _dataSource.CreateCommand("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (commits, rollbacks) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var (self, children) = (ProcFs.CpuSeconds(_postmaster), ProcFs.ReapedChildrenCpuSeconds(_postmaster));
        return new Snapshot(processes, self, children, tables, commits, rollbacks);
    }

    // Processes alive at the end count from the start (or from their birth); those that exited in the window
    // (autovacuum workers, closed connections) are only in the postmaster's children time, for their whole life.
    private static Dictionary<string, double> CpuByKind(Snapshot start, Snapshot end)
    {
        var byKind = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["postmaster"] = end.PostmasterCpu - start.PostmasterCpu,
            ["exited in the window (postmaster's children time; not in the CPU figure above)"] = end.ExitedChildrenCpu - start.ExitedChildrenCpu,
        };
        foreach (var (pid, (kind, cpu)) in end.Processes)
        {
            var before = start.Processes.TryGetValue(pid, out var s) ? s.Cpu : 0;
            byKind[kind] = byKind.GetValueOrDefault(kind) + cpu - before;
        }

        return byKind;
    }

    private static long Field(string value, string name)
    {
        foreach (var part in value.Split(','))
        {
            if (part.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return long.Parse(part[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static double Stat(Dictionary<string, string> stats, string name)
        => stats.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : double.NaN;

    private static string OneLine(string query)
    {
        var line = Whitespace().Replace(query, " ").Trim();
        return line.Length <= 120 ? line : line[..117] + "...";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed record Statement(string Query, long Calls, double ExecMs, double PlanMs, long Plans, long Rows, double WalBytes);

    private readonly record struct TableCounters(long Inserted, long Updated, long HotUpdated, long Deleted, long Autovacuums, long Autoanalyzes);

    private sealed record Snapshot(
        Dictionary<int, (string Kind, double Cpu)> Processes,
        double PostmasterCpu,
        double ExitedChildrenCpu,
        Dictionary<string, TableCounters> Tables,
        long Commits,
        long Rollbacks);
}
