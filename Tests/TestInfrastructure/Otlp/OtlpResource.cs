namespace Observability.TestInfrastructure.Otlp;

/// <summary>The resource an exported item came from (<c>service.name</c>, <c>service.instance.id</c>, ...).</summary>
public sealed class OtlpResource
{
    /// <summary>The resource attributes. Values are string, bool, long, double, byte[], arrays or key/value lists.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }

    /// <summary>The <c>service.name</c> attribute, or null.</summary>
    public string? ServiceName => Attributes.TryGetValue("service.name", out var value) ? value as string : null;
}
