namespace Observability.Dashboard.Storage;

/// <summary>
/// The spans of one trace, from any number of resources. The trace belongs, for capacity accounting, to the
/// resource that sent its first span. Mutated only under the <see cref="TraceStore"/> lock.
/// </summary>
internal sealed class TraceRecord
{
    public TraceRecord(TraceId traceId, TelemetryResource owner, long sequence)
    {
        TraceId = traceId;
        Owner = owner;
        Sequence = sequence;
        Node = new LinkedListNode<TraceRecord>(this);
    }

    public TraceId TraceId { get; }

    public TelemetryResource Owner { get; }

    /// <summary>Arrival order of the trace's first span.</summary>
    public long Sequence { get; }

    public List<SpanRecord> Spans { get; } = [];

    public long StartUnixNano { get; private set; } = long.MaxValue;

    public long EndUnixNano { get; private set; } = long.MinValue;

    public bool HasError { get; private set; }

    /// <summary>Error or slow traces: evicted only when their owner has no other trace left.</summary>
    public bool IsPriority { get; set; }

    /// <summary>The trace's place in its owner's eviction queue.</summary>
    public LinkedListNode<TraceRecord> Node { get; }

    public long DurationNano => Spans.Count == 0 ? 0 : Math.Max(0, EndUnixNano - StartUnixNano);

    public void Add(SpanRecord span)
    {
        Spans.Add(span);
        StartUnixNano = Math.Min(StartUnixNano, span.StartUnixNano);
        EndUnixNano = Math.Max(EndUnixNano, span.EndUnixNano);
        HasError |= span.Status == SpanStatusCode.Error;
    }

    /// <summary>Recomputes the summary after spans were removed.</summary>
    public void Recompute()
    {
        StartUnixNano = long.MaxValue;
        EndUnixNano = long.MinValue;
        HasError = false;
        foreach (var span in Spans)
        {
            StartUnixNano = Math.Min(StartUnixNano, span.StartUnixNano);
            EndUnixNano = Math.Max(EndUnixNano, span.EndUnixNano);
            HasError |= span.Status == SpanStatusCode.Error;
        }
    }

    /// <summary>The earliest span without a parent, or the earliest span when every span has one.</summary>
    public SpanRecord? Root
    {
        get
        {
            SpanRecord? root = null, earliest = null;
            foreach (var span in Spans)
            {
                if (span.ParentSpanId == 0 && (root is null || span.StartUnixNano < root.StartUnixNano))
                {
                    root = span;
                }

                if (earliest is null || span.StartUnixNano < earliest.StartUnixNano)
                {
                    earliest = span;
                }
            }

            return root ?? earliest;
        }
    }
}
