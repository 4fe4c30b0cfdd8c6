namespace Observability.TestInfrastructure.Otlp;

/// <summary>One exported log record, with the resource and scope (logger category) it was exported under.</summary>
public sealed class OtlpLogRecord
{
    /// <summary>The resource that exported the record.</summary>
    public required OtlpResource Resource { get; init; }

    /// <summary>The scope; the .NET exporter puts the logger category here.</summary>
    public required OtlpScope Scope { get; init; }

    /// <summary>When the event happened, in nanoseconds since the Unix epoch.</summary>
    public required ulong TimeUnixNano { get; init; }

    /// <summary>The severity number (1-24: TRACE=1, DEBUG=5, INFO=9, WARN=13, ERROR=17, FATAL=21).</summary>
    public required int SeverityNumber { get; init; }

    /// <summary>The severity text, empty when absent.</summary>
    public required string SeverityText { get; init; }

    /// <summary>The body (usually the formatted message or the template), or null.</summary>
    public required object? Body { get; init; }

    /// <summary>The record attributes.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }

    /// <summary>The trace ID as hex, empty outside a trace.</summary>
    public required string TraceId { get; init; }

    /// <summary>The span ID as hex, empty outside a span.</summary>
    public required string SpanId { get; init; }

    /// <summary>The event name, empty when absent.</summary>
    public required string EventName { get; init; }

    /// <summary>The body as a string, or null.</summary>
    public string? BodyText => Body as string;

    /// <summary>The string attribute <paramref name="key"/>, or null when absent or not a string.</summary>
    public string? GetString(string key) => Attributes.TryGetValue(key, out var value) ? value as string : null;

    /// <inheritdoc />
    public override string ToString() => $"log {SeverityText} '{Body}' from {Scope.Name}";
}
