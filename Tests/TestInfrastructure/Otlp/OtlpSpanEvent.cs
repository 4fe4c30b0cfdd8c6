namespace Observability.TestInfrastructure.Otlp;

/// <summary>An event recorded on a span, such as an <c>exception</c> event.</summary>
public sealed class OtlpSpanEvent
{
    /// <summary>The event name.</summary>
    public required string Name { get; init; }

    /// <summary>When the event happened, in nanoseconds since the Unix epoch.</summary>
    public required ulong TimeUnixNano { get; init; }

    /// <summary>The event attributes.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }
}
