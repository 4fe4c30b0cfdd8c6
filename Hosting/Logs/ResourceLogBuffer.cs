namespace Observability.Hosting.Logs;

/// <summary>The last lines of a resource's console output (all replicas), bounded so a chatty process cannot grow the host.</summary>
internal sealed class ResourceLogBuffer(int capacity, TimeProvider timeProvider)
{
    private readonly Queue<LogLine> _lines = new();
    private readonly Lock _lock = new();

    /// <summary>Raised for every line, after it is stored (used to echo output to the host's console).</summary>
    public event Action<LogLine>? LineAdded;

    public void Add(string instanceId, bool isError, string text)
    {
        var line = new LogLine(timeProvider.GetUtcNow(), instanceId, isError, text);
        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }

        LineAdded?.Invoke(line);
    }

    public IReadOnlyList<LogLine> Snapshot()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }
}
