using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Benchmarks;

/// <summary>
/// The measurement behind the persistence choice: every accepted export written durably as one unit (append + flush
/// to a segment file, or one SQLite WAL transaction), then everything read back as a restart would.
/// </summary>
internal static class PersistenceBenchmark
{
    public static void Run(List<byte[]> payloads)
    {
        var megabytes = payloads.Sum(p => (long)p.Length) / 1048576.0;
        var root = Path.Combine(Path.GetTempPath(), "dashboard-persistence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var journalOptions = Options.Create(new StorageOptions { DataDirectory = Path.Combine(root, "journal") });
            var stopwatch = Stopwatch.StartNew();
            using (var journal = new TelemetryJournal(journalOptions, TimeProvider.System, NullLogger<TelemetryJournal>.Instance))
            {
                foreach (var payload in payloads)
                {
                    journal.Append(JournalRecordKind.Traces, 1, payload);
                }
            }

            var journalWrite = stopwatch.Elapsed;
            stopwatch.Restart();
            using (var journal = new TelemetryJournal(journalOptions, TimeProvider.System, NullLogger<TelemetryJournal>.Instance))
            {
                var read = journal.ReadAll().Sum(r => (long)r.Payload.Length);
                Trace.Assert(read == payloads.Sum(p => (long)p.Length));
            }

            var journalRead = stopwatch.Elapsed;

            var database = Path.Combine(root, "telemetry.db");
            using var connection = new SqliteConnection($"Data Source={database}");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; " +
                "CREATE TABLE records (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, format INTEGER NOT NULL, unix_ms INTEGER NOT NULL, payload BLOB NOT NULL);");
            stopwatch.Restart();
            foreach (var payload in payloads)
            {
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO records (kind, format, unix_ms, payload) VALUES (1, 1, $time, $payload)";
                insert.Parameters.AddWithValue("$time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$payload", payload);
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            var sqliteWrite = stopwatch.Elapsed;
            stopwatch.Restart();
            long sqliteBytes = 0;
            using (var select = connection.CreateCommand())
            {
                select.CommandText = "SELECT payload FROM records ORDER BY id";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    sqliteBytes += ((byte[])reader[0]).Length;
                }
            }

            var sqliteRead = stopwatch.Elapsed;
            Console.WriteLine($"Persistence, {payloads.Count} exports ({megabytes:N0} MiB): segment journal write {megabytes / journalWrite.TotalSeconds:N0} MiB/s, " +
                $"read {megabytes / journalRead.TotalSeconds:N0} MiB/s; SQLite (WAL, one transaction per export) write {megabytes / sqliteWrite.TotalSeconds:N0} MiB/s, " +
                $"read {sqliteBytes / 1048576.0 / sqliteRead.TotalSeconds:N0} MiB/s");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
