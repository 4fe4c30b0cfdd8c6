namespace Observability.TestInfrastructure.Otlp;

/// <summary>A link from a span to another span.</summary>
public sealed class OtlpSpanLink
{
    /// <summary>The linked trace ID, 32 lowercase hex characters.</summary>
    public required string TraceId { get; init; }

    /// <summary>The linked span ID, 16 lowercase hex characters.</summary>
    public required string SpanId { get; init; }

    /// <summary>The link attributes.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }
}
