namespace Observability.Dashboard.Storage;

/// <summary>Filters and paging for the trace list. Every filter is optional.</summary>
internal sealed record TraceQuery
{
    /// <summary>Some span's resource has this <c>service.name</c>.</summary>
    public string? Service { get; init; }

    /// <summary>Some span's name contains this text (ordinal, ignoring case).</summary>
    public string? SpanName { get; init; }

    /// <summary>Only traces with (true) or without (false) an error span.</summary>
    public bool? HasError { get; init; }

    public TimeSpan? MinDuration { get; init; }

    /// <summary>Some span has an attribute <see cref="AttributeKey"/> whose value reads <see cref="AttributeValue"/>.</summary>
    public string? AttributeKey { get; init; }

    public string? AttributeValue { get; init; }

    /// <summary>Traces that started at or after this time.</summary>
    public long? FromUnixNano { get; init; }

    /// <summary>Traces that started before this time.</summary>
    public long? ToUnixNano { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 50;
}
