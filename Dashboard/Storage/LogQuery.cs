namespace Observability.Dashboard.Storage;

/// <summary>Filters and paging for the log list. Every filter is optional.</summary>
internal sealed record LogQuery
{
    /// <summary>Records at or above this OTLP severity number (1 trace .. 21 fatal).</summary>
    public int? MinSeverity { get; init; }

    /// <summary>The body or an attribute value contains this text (ordinal, ignoring case).</summary>
    public string? Text { get; init; }

    public int? ResourceId { get; init; }

    public string? Service { get; init; }

    public TraceId? TraceId { get; init; }

    public string? AttributeKey { get; init; }

    public string? AttributeValue { get; init; }

    /// <summary>Only records that arrived after this sequence number (for polling clients).</summary>
    public long? AfterSequence { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}
