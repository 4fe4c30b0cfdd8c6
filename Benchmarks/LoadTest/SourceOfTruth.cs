using Npgsql;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.LoadTest;

/// <summary>
/// What the platform itself recorded, read after the load: each run's status in PostgreSQL (the truth) and the number
/// of entries in each run's event stream in Redis (the events a subscriber is owed).
/// </summary>
internal static class SourceOfTruth
{
    /// <summary>Runs in the database by status.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> RunsByStatusAsync(string database, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM workflow_runs GROUP BY status ORDER BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Each run's status in the database (runs missing from it are absent from the answer).</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> RunStatusesAsync(string database, IReadOnlyList<Guid> runIds, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT id, status FROM workflow_runs WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = runIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new Dictionary<Guid, string>(runIds.Count);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            statuses[reader.GetGuid(0)] = reader.GetString(1);
        }

        return statuses;
    }

    /// <summary>The length of every run's event stream (<c>XLEN</c>, pipelined 1,000 at a time).</summary>
    public static async Task<IReadOnlyDictionary<Guid, long>> EventStreamLengthsAsync(string redis, IReadOnlyList<Guid> runIds, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis).ConfigureAwait(false);
        var database = connection.GetDatabase();
        var lengths = new Dictionary<Guid, long>(runIds.Count);
        foreach (var chunk in runIds.Chunk(1000))
        {
            var replies = await Task.WhenAll(chunk.Select(id => database.StreamLengthAsync(WorkflowStreams.Events(id)))).WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                lengths[chunk[i]] = replies[i];
            }
        }

        return lengths;
    }
}
