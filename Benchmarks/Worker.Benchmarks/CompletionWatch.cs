using Npgsql;

namespace Observability.Worker.Benchmarks;

/// <summary>
/// Counts the seeded runs that finished, without scanning the runs table: the worker takes jobs in the order they were
/// queued and holds at most its concurrency at once, so only the oldest unfinished runs can have finished since the
/// last poll. Each poll looks up a window of them by primary key (a few hundred index probes, however many runs were
/// seeded; one prepared statement on a connection of its own) and forgets those that finished. A run that finishes
/// outside the window is counted when the window reaches it, so the count may lag by a poll, never runs ahead, and it
/// reaches the total only when every run finished.
/// </summary>
internal sealed class CompletionWatch : IAsyncDisposable
{
    private const string FinishedSql = "SELECT id, status FROM workflow_runs WHERE id = ANY($1) AND status NOT IN ('Queued', 'Running')";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _finished;
    private readonly NpgsqlParameter<Guid[]> _window;
    private readonly List<Guid> _unfinished;
    private readonly int _windowSize;

    private CompletionWatch(NpgsqlConnection connection, List<Guid> unfinished, int windowSize)
    {
        _connection = connection;
        _unfinished = unfinished;
        _windowSize = windowSize;
        _window = new NpgsqlParameter<Guid[]> { TypedValue = [] };
        _finished = new NpgsqlCommand(FinishedSql, connection) { Parameters = { _window } };
    }

    /// <summary>Runs finished Completed so far.</summary>
    public long Completed { get; private set; }

    /// <summary>Runs finished otherwise (Failed, DeadLettered, Cancelled) so far.</summary>
    public long NotCompleted { get; private set; }

    /// <summary>
    /// Reads the seeded runs in the order their jobs were queued (call it before the worker starts); each poll looks
    /// at the oldest <paramref name="windowSize"/> unfinished ones (a few times the worker's concurrency).
    /// </summary>
    public static async Task<CompletionWatch> CreateAsync(NpgsqlDataSource dataSource, int windowSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var runs = new List<Guid>();
        await using (var command = new NpgsqlCommand("SELECT id FROM workflow_runs ORDER BY created_at, id", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(reader.GetGuid(0));
            }
        }

        var watch = new CompletionWatch(connection, runs, windowSize);
        await watch._finished.PrepareAsync(cancellationToken);
        return watch;
    }

    /// <summary>Looks up the window's runs; those that finished leave it and are counted.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var window = _unfinished.GetRange(0, Math.Min(_windowSize, _unfinished.Count)).ToArray();
        if (window.Length == 0)
        {
            return;
        }

        _window.TypedValue = window;
        var finished = new HashSet<Guid>();
        await using (var reader = await _finished.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                finished.Add(reader.GetGuid(0));
                if (reader.GetString(1) == "Completed")
                {
                    Completed++;
                }
                else
                {
                    NotCompleted++;
                }
            }
        }

        if (finished.Count > 0)
        {
            _unfinished.RemoveRange(0, window.Length);
            _unfinished.InsertRange(0, window.Where(id => !finished.Contains(id)));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _finished.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
