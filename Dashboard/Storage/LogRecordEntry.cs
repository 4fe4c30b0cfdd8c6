namespace Observability.Dashboard.Storage;

/// <summary>One stored structured log record, linked to its trace and span when it has them.</summary>
internal sealed class LogRecordEntry : IScopedRecord
{
    public TelemetryResource Resource { get; set; } = null!;

    public InstrumentationScope Scope { get; set; } = InstrumentationScope.Empty;

    /// <summary>Store-assigned, increasing: the order records arrived in.</summary>
    public long Sequence { get; set; }

    public long TimeUnixNano { get; set; }

    public long ObservedTimeUnixNano { get; set; }

    /// <summary>OTLP severity number 1..24 (0 unspecified).</summary>
    public int SeverityNumber { get; set; }

    public string? SeverityText { get; set; }

    public string? EventName { get; set; }

    public AttributeValue Body { get; set; }

    public TelemetryAttribute[] Attributes { get; set; } = [];

    public TraceId TraceId { get; set; }

    public ulong SpanId { get; set; }

    public uint Flags { get; set; }

    /// <summary>The record's time, or the time it was observed when the sender gave none.</summary>
    public long EffectiveTimeUnixNano => TimeUnixNano != 0 ? TimeUnixNano : ObservedTimeUnixNano;
}
