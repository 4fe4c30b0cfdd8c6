using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Storage;

/// <summary>
/// Structured logs in memory, bounded by <c>Dashboard:Storage:MaxLogs</c>. When full, the resource holding the
/// most records loses its oldest one, so a chatty service cannot push the others' logs out.
/// </summary>
internal sealed class LogStore(IOptions<StorageOptions> options, DropCounters drops)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Queue<LogRecordEntry>> _byResource = [];
    private readonly int _maxLogs = options.Value.MaxLogs;
    private int _count;
    private long _sequence;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public int Add(TelemetryResource resource, List<LogRecordEntry> logs)
    {
        var evicted = 0;
        lock (_lock)
        {
            if (!_byResource.TryGetValue(resource.Id, out var queue))
            {
                queue = new Queue<LogRecordEntry>();
                _byResource.Add(resource.Id, queue);
            }

            foreach (var log in logs)
            {
                log.Resource = resource;
                log.Sequence = ++_sequence;
                queue.Enqueue(log);
                _count++;
            }

            while (_count > _maxLogs)
            {
                Queue<LogRecordEntry>? largest = null;
                foreach (var candidate in _byResource.Values)
                {
                    if (largest is null || candidate.Count > largest.Count)
                    {
                        largest = candidate;
                    }
                }

                largest!.Dequeue();
                _count--;
                evicted++;
            }
        }

        if (evicted > 0)
        {
            drops.AddEvictedLogs(evicted);
        }

        return logs.Count;
    }

    /// <summary>A copy of every stored record (of one resource when <paramref name="resourceId"/> is set), oldest first.</summary>
    public List<LogRecordEntry> Snapshot(int? resourceId)
    {
        lock (_lock)
        {
            return [.. _byResource.Where(r => resourceId is null || r.Key == resourceId).SelectMany(r => r.Value).OrderBy(l => l.Sequence)];
        }
    }

    /// <summary>Newest-first page of records matching <paramref name="query"/>, and how many match in total.</summary>
    public (List<LogRecordEntry> Page, int Total) Query(LogQuery query)
    {
        var keep = Math.Max(0, query.Offset) + Math.Clamp(query.Limit, 0, 1_000);
        var heap = new PriorityQueue<LogRecordEntry, long>(keep + 1);
        var total = 0;
        lock (_lock)
        {
            foreach (var (resourceId, queue) in _byResource)
            {
                if (query.ResourceId is { } wanted && wanted != resourceId)
                {
                    continue;
                }

                foreach (var log in queue)
                {
                    if (!Matches(log, query))
                    {
                        continue;
                    }

                    total++;
                    if (keep == 0)
                    {
                        continue;
                    }

                    heap.Enqueue(log, log.Sequence);
                    if (heap.Count > keep)
                    {
                        heap.Dequeue();
                    }
                }
            }
        }

        var page = new List<LogRecordEntry>(heap.Count);
        while (heap.Count > 0)
        {
            page.Add(heap.Dequeue());
        }

        page.Reverse();
        return ([.. page.Skip(Math.Max(0, query.Offset))], total);
    }

    public Dictionary<int, int> CountByResource()
    {
        lock (_lock)
        {
            return _byResource.ToDictionary(r => r.Key, r => r.Value.Count);
        }
    }

    public void Clear(int? resourceId)
    {
        lock (_lock)
        {
            if (resourceId is null)
            {
                _byResource.Clear();
                _count = 0;
            }
            else if (_byResource.Remove(resourceId.Value, out var queue))
            {
                _count -= queue.Count;
            }
        }
    }

    private static bool Matches(LogRecordEntry log, LogQuery query)
    {
        if ((query.MinSeverity is { } min && log.SeverityNumber < min)
            || (query.AfterSequence is { } after && log.Sequence <= after)
            || (query.TraceId is { } traceId && log.TraceId != traceId)
            || (query.Service is { } service && !string.Equals(log.Resource.ServiceName, service, StringComparison.Ordinal))
            || (query.AttributeKey is { } key && !TelemetryAttribute.Has(log.Attributes, key, query.AttributeValue ?? string.Empty)))
        {
            return false;
        }

        if (query.Text is not { Length: > 0 } text)
        {
            return true;
        }

        if (log.Body.ToString().Contains(text, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var attribute in log.Attributes)
        {
            if (attribute.Value.Kind == AttributeValueKind.String && attribute.Value.Text!.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
