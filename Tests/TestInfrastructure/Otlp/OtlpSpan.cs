namespace Observability.TestInfrastructure.Otlp;

/// <summary>One exported span, with the resource and scope it was exported under.</summary>
public sealed class OtlpSpan
{
    /// <summary>The resource that exported the span.</summary>
    public required OtlpResource Resource { get; init; }

    /// <summary>The ActivitySource the span came from.</summary>
    public required OtlpScope Scope { get; init; }

    /// <summary>The trace ID, 32 lowercase hex characters.</summary>
    public required string TraceId { get; init; }

    /// <summary>The span ID, 16 lowercase hex characters.</summary>
    public required string SpanId { get; init; }

    /// <summary>The parent span ID as hex, empty for a root span.</summary>
    public required string ParentSpanId { get; init; }

    /// <summary>The W3C trace state, empty when absent.</summary>
    public required string TraceState { get; init; }

    /// <summary>The span name.</summary>
    public required string Name { get; init; }

    /// <summary>The span kind.</summary>
    public required OtlpSpanKind Kind { get; init; }

    /// <summary>Start time in nanoseconds since the Unix epoch.</summary>
    public required ulong StartTimeUnixNano { get; init; }

    /// <summary>End time in nanoseconds since the Unix epoch.</summary>
    public required ulong EndTimeUnixNano { get; init; }

    /// <summary>The span attributes.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }

    /// <summary>The span events, in recorded order.</summary>
    public required IReadOnlyList<OtlpSpanEvent> Events { get; init; }

    /// <summary>The span links.</summary>
    public required IReadOnlyList<OtlpSpanLink> Links { get; init; }

    /// <summary>The status code.</summary>
    public required OtlpStatusCode StatusCode { get; init; }

    /// <summary>The status description, empty when absent.</summary>
    public required string StatusMessage { get; init; }

    /// <summary>The string attribute <paramref name="key"/>, or null when absent or not a string.</summary>
    public string? GetString(string key) => Attributes.TryGetValue(key, out var value) ? value as string : null;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} span '{Name}' {TraceId}/{SpanId} from {Scope.Name}";
}
