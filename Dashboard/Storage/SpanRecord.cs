namespace Observability.Dashboard.Storage;

/// <summary>One stored span, decoded into our compact model.</summary>
internal sealed class SpanRecord : IScopedRecord
{
    private static readonly SpanEvent[] s_noEvents = [];
    private static readonly SpanLink[] s_noLinks = [];

    /// <summary>Set by the store when the span is added (decoders do not know resource ids).</summary>
    public TelemetryResource Resource { get; set; } = null!;

    public InstrumentationScope Scope { get; set; } = InstrumentationScope.Empty;

    public TraceId TraceId { get; set; }

    public ulong SpanId { get; set; }

    public ulong ParentSpanId { get; set; }

    public string? TraceState { get; set; }

    public string Name { get; set; } = string.Empty;

    public SpanKind Kind { get; set; }

    public long StartUnixNano { get; set; }

    public long EndUnixNano { get; set; }

    public SpanStatusCode Status { get; set; }

    public string? StatusMessage { get; set; }

    public TelemetryAttribute[] Attributes { get; set; } = [];

    public SpanEvent[] Events { get; set; } = s_noEvents;

    public SpanLink[] Links { get; set; } = s_noLinks;

    public uint Flags { get; set; }

    /// <summary>Attributes, events and links the sender or our caps dropped.</summary>
    public int DroppedCount { get; set; }

    public long DurationNano => Math.Max(0, EndUnixNano - StartUnixNano);
}
