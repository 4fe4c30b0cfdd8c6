using System.Collections.Concurrent;

namespace Observability.WebSocketHub.Connections;

/// <summary>The connections open on this instance (for inspection; correctness never depends on it).</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, HubConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public IReadOnlyCollection<HubConnection> Snapshot() => [.. _connections.Values];

    public void Add(HubConnection connection) => _connections[connection.Id] = connection;

    public void Remove(HubConnection connection) => _connections.TryRemove(connection.Id, out _);
}
