using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Storage;

/// <summary>
/// Traces in memory, bounded by <c>Dashboard:Storage:MaxTraces</c> and <c>MaxSpans</c>. When full, the resource
/// that owns the most traces (or, over the span cap, the most spans) loses its oldest ordinary trace first, its
/// error and slow traces last: one noisy service evicts its own traces, never the others'.
/// </summary>
internal sealed class TraceStore(IOptions<StorageOptions> options, DropCounters drops)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TraceId, TraceRecord> _traces = [];
    private readonly Dictionary<int, OwnerQueues> _owners = [];
    private readonly StorageOptions _options = options.Value;
    private readonly long _slowNano = (long)(options.Value.SlowTraceThreshold.Ticks * 100);
    private long _sequence;
    private long _spanCount;

    public long SpanCount
    {
        get
        {
            lock (_lock)
            {
                return _spanCount;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _traces.Count;
            }
        }
    }

    /// <summary>Stores spans of one resource; returns how many were stored.</summary>
    public int Add(TelemetryResource resource, List<SpanRecord> spans)
    {
        var added = 0;
        var overCap = 0;
        var duplicates = 0;
        lock (_lock)
        {
            foreach (var span in spans)
            {
                span.Resource = resource;
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    trace = new TraceRecord(span.TraceId, resource, ++_sequence);
                    _traces.Add(span.TraceId, trace);
                    Queues(resource.Id).Normal.AddLast(trace.Node);
                }
                else if (trace.Spans.Count >= _options.MaxSpansPerTrace)
                {
                    overCap++;
                    continue;
                }
                else if (trace.Spans.Exists(s => s.SpanId == span.SpanId && s.Resource == resource))
                {
                    // A retried export (the sender timed out after we stored it) must not double the trace.
                    duplicates++;
                    continue;
                }

                trace.Add(span);
                Queues(trace.Owner.Id).SpanCount++;
                _spanCount++;
                added++;
                if (!trace.IsPriority && (trace.HasError || trace.DurationNano >= _slowNano))
                {
                    var queues = Queues(trace.Owner.Id);
                    queues.Normal.Remove(trace.Node);
                    queues.Priority.AddLast(trace.Node);
                    trace.IsPriority = true;
                }
            }

            while (_traces.Count > _options.MaxTraces || _spanCount > _options.MaxSpans)
            {
                EvictOne(bySpans: _traces.Count <= _options.MaxTraces);
            }
        }

        if (overCap > 0)
        {
            drops.AddDroppedSpansOverTraceCap(overCap);
        }

        if (duplicates > 0)
        {
            drops.AddDuplicateSpans(duplicates);
        }

        return added;
    }

    /// <summary>A copy of the trace's spans, or null when the trace is not stored.</summary>
    public List<SpanRecord>? Get(TraceId traceId)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceId, out var trace) ? [.. trace.Spans] : null;
        }
    }

    /// <summary>A copy of every stored span (of one resource when <paramref name="resourceId"/> is set), trace by trace.</summary>
    public List<SpanRecord> Snapshot(int? resourceId)
    {
        lock (_lock)
        {
            return [.. _traces.Values.SelectMany(t => t.Spans).Where(s => resourceId is null || s.Resource.Id == resourceId)];
        }
    }

    /// <summary>Newest-first page of traces matching <paramref name="query"/>, and how many match in total.</summary>
    public (List<TraceSummary> Page, int Total) Query(TraceQuery query)
    {
        var keep = Math.Max(0, query.Offset) + Math.Clamp(query.Limit, 0, 1_000);
        var heap = new PriorityQueue<TraceRecord, (long Start, long Sequence)>(keep + 1);
        var total = 0;
        var minDurationNano = query.MinDuration is { } min ? min.Ticks * 100 : (long?)null;

        // Span names are shared strings (see Utf8StringCache): remember each distinct name's match by reference.
        var nameMatches = query.SpanName is null ? null : new Dictionary<object, bool>(ReferenceEqualityComparer.Instance);
        lock (_lock)
        {
            foreach (var trace in _traces.Values)
            {
                if (!Matches(trace, query, minDurationNano, nameMatches))
                {
                    continue;
                }

                total++;
                if (keep == 0)
                {
                    continue;
                }

                heap.Enqueue(trace, (trace.StartUnixNano, trace.Sequence));
                if (heap.Count > keep)
                {
                    heap.Dequeue();
                }
            }

            var page = new List<TraceSummary>(heap.Count);
            while (heap.Count > 0)
            {
                page.Add(Summarize(heap.Dequeue()));
            }

            page.Reverse();
            return ([.. page.Skip(Math.Max(0, query.Offset))], total);
        }
    }

    /// <summary>Removes every span of <paramref name="resourceId"/> (or everything when null).</summary>
    public void Clear(int? resourceId)
    {
        lock (_lock)
        {
            if (resourceId is null)
            {
                _traces.Clear();
                _owners.Clear();
                _spanCount = 0;
                return;
            }

            foreach (var trace in _traces.Values.ToList())
            {
                var removed = trace.Spans.RemoveAll(s => s.Resource.Id == resourceId);
                if (removed == 0)
                {
                    continue;
                }

                _spanCount -= removed;
                _owners[trace.Owner.Id].SpanCount -= removed;

                if (trace.Spans.Count == 0)
                {
                    Remove(trace);
                }
                else
                {
                    trace.Recompute();
                }
            }
        }
    }

    /// <summary>Traces owned by each resource id.</summary>
    public Dictionary<int, int> CountByOwner()
    {
        lock (_lock)
        {
            return _owners.ToDictionary(o => o.Key, o => o.Value.Normal.Count + o.Value.Priority.Count);
        }
    }

    private static bool Matches(TraceRecord trace, TraceQuery query, long? minDurationNano, Dictionary<object, bool>? nameMatches)
    {
        if (query.HasError is { } hasError && trace.HasError != hasError)
        {
            return false;
        }

        if (minDurationNano is { } min && trace.DurationNano < min)
        {
            return false;
        }

        if ((query.FromUnixNano is { } from && trace.StartUnixNano < from) || (query.ToUnixNano is { } to && trace.StartUnixNano >= to))
        {
            return false;
        }

        if (query.Service is null && query.SpanName is null && query.AttributeKey is null)
        {
            return true;
        }

        bool serviceFound = query.Service is null, nameFound = query.SpanName is null, attributeFound = query.AttributeKey is null;
        foreach (var span in trace.Spans)
        {
            serviceFound = serviceFound || string.Equals(span.Resource.ServiceName, query.Service, StringComparison.Ordinal);
            if (!nameFound && !nameMatches!.TryGetValue(span.Name, out nameFound))
            {
                nameFound = span.Name.Contains(query.SpanName!, StringComparison.OrdinalIgnoreCase);
                nameMatches[span.Name] = nameFound;
            }

            attributeFound = attributeFound || TelemetryAttribute.Has(span.Attributes, query.AttributeKey!, query.AttributeValue ?? string.Empty);
            if (serviceFound && nameFound && attributeFound)
            {
                return true;
            }
        }

        return false;
    }

    private static TraceSummary Summarize(TraceRecord trace)
    {
        var root = trace.Root;
        var services = trace.Spans.Select(s => s.Resource.ServiceName).Distinct(StringComparer.Ordinal).ToList();
        return new TraceSummary(trace.TraceId, root?.Name ?? string.Empty, root?.Resource.ServiceName ?? string.Empty,
            trace.StartUnixNano, trace.DurationNano, trace.Spans.Count, trace.HasError, services);
    }

    private void EvictOne(bool bySpans)
    {
        OwnerQueues? largest = null;
        foreach (var queues in _owners.Values)
        {
            if (largest is null || (bySpans ? queues.SpanCount > largest.SpanCount : queues.Count > largest.Count))
            {
                largest = queues;
            }
        }

        var victim = largest!.Normal.First?.Value ?? largest.Priority.First!.Value;
        Remove(victim);
        drops.AddEvictedTrace(victim.Spans.Count);
    }

    private void Remove(TraceRecord trace)
    {
        _traces.Remove(trace.TraceId);
        var queues = _owners[trace.Owner.Id];
        trace.Node.List!.Remove(trace.Node);
        queues.SpanCount -= trace.Spans.Count;
        _spanCount -= trace.Spans.Count;
        if (queues.Count == 0)
        {
            _owners.Remove(trace.Owner.Id);
        }
    }

    private OwnerQueues Queues(int resourceId)
    {
        if (!_owners.TryGetValue(resourceId, out var queues))
        {
            queues = new OwnerQueues();
            _owners.Add(resourceId, queues);
        }

        return queues;
    }

    private sealed class OwnerQueues
    {
        public LinkedList<TraceRecord> Normal { get; } = new();

        public LinkedList<TraceRecord> Priority { get; } = new();

        public int Count => Normal.Count + Priority.Count;

        /// <summary>Spans of the traces this resource owns (from any resource).</summary>
        public long SpanCount { get; set; }
    }
}
