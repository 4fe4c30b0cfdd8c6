using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;

namespace Observability.Chaos.Tests;

/// <summary>
/// Reads what the records say about the accepted runs: PostgreSQL (the truth: each run's status and start, each step's
/// row) and each run's event stream in Redis (a second record of effects: how often a step completed, a model call
/// returned, a run ended). Polls; never sleeps to wait for a state.
/// </summary>
internal sealed class RunLedger(string databaseConnectionString, string redisConnectionString)
{
    private static readonly string[] Terminal = ["Completed", "Failed", "Cancelled", "DeadLettered"];

    /// <summary>
    /// Polls until every run accepted before <paramref name="faultEnd"/> has finished or been (re)started after it;
    /// returns the seconds from <paramref name="faultEnd"/> to then (null when the deadline passed first).
    /// </summary>
    public async Task<double?> WaitForResumedAsync(IReadOnlyCollection<Guid> runs, DateTimeOffset faultEnd, TimeSpan timeout, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT count(*) FROM workflow_runs
            WHERE id = ANY($1) AND status IN ('Queued', 'Running') AND coalesce(started_at, created_at) < $2
            """;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var waiting = await TryScalarAsync(Sql, [.. runs], faultEnd, cancellationToken);
            if (waiting == 0)
            {
                return (DateTimeOffset.UtcNow - faultEnd).TotalSeconds;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return null;
    }

    /// <summary>Polls until every run is in a final status or <paramref name="timeout"/> passes; returns the statuses.</summary>
    public async Task<Dictionary<Guid, string>> WaitForTerminalAsync(IReadOnlyCollection<Guid> runs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var statuses = await StatusesAsync(runs, cancellationToken);
            if ((statuses.Count == runs.Count && statuses.Values.All(Terminal.Contains)) || deadline.Elapsed >= timeout)
            {
                return statuses;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>
    /// Effects recorded more than once: a step row twice, a step completed twice or a run ended twice in its event
    /// stream. Also counts repeated model calls (a step's <c>LlmCall</c> more than once: allowed when its worker died
    /// mid-call; paid again at the provider, counted once in the run's totals).
    /// </summary>
    public async Task<(int Duplicated, int RepeatedModelCalls)> CountRepeatsAsync(IReadOnlyCollection<Guid> runs, CancellationToken cancellationToken)
    {
        var duplicated = 0;
        await using (var connection = new NpgsqlConnection(databaseConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM (SELECT run_id, step_key FROM workflow_steps WHERE run_id = ANY($1) GROUP BY 1, 2 HAVING count(*) > 1) d", connection);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. runs] });
            duplicated += Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        var repeatedCalls = 0;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString);
        var database = redis.GetDatabase();
        foreach (var runId in runs)
        {
            var entries = await database.StreamRangeAsync($"workflows.events.{runId:N}").WaitAsync(cancellationToken);
            var events = entries.Select(e => JsonDocument.Parse((string)e["event"]!).RootElement).ToList();
            duplicated += Math.Max(0, events.Count(e => Type(e) is "Completed" or "Failed") - 1);
            duplicated += events.Where(e => Type(e) == "StepCompleted").GroupBy(Step).Sum(g => g.Count() - 1);
            repeatedCalls += events.Where(e => Type(e) == "LlmCall").GroupBy(Step).Sum(g => g.Count() - 1);
        }

        return (duplicated, repeatedCalls);
    }

    private static string? Type(JsonElement e) => e.TryGetProperty("type", out var t) ? t.GetString() : null;

    private static string? Step(JsonElement e) =>
        e.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("step", out var s) ? s.GetString() : null;

    private async Task<Dictionary<Guid, string>> StatusesAsync(IReadOnlyCollection<Guid> runs, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<Guid, string>();
        try
        {
            await using var connection = new NpgsqlConnection(databaseConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT id, status FROM workflow_runs WHERE id = ANY($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. runs] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statuses[reader.GetGuid(0)] = reader.GetString(1);
            }
        }
        catch (NpgsqlException)
        {
            // PostgreSQL is coming back: ask again.
        }

        return statuses;
    }

    private async Task<long?> TryScalarAsync(string sql, Guid[] runs, DateTimeOffset before, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(databaseConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = runs });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
            return (long?)await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
