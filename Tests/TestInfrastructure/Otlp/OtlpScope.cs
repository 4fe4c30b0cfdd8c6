namespace Observability.TestInfrastructure.Otlp;

/// <summary>The instrumentation scope (ActivitySource, Meter or logger category) of an exported item.</summary>
public sealed class OtlpScope
{
    /// <summary>The scope for items that carry none.</summary>
    public static readonly OtlpScope Empty = new() { Name = string.Empty, Version = string.Empty };

    /// <summary>The scope name.</summary>
    public required string Name { get; init; }

    /// <summary>The scope version, empty when absent.</summary>
    public required string Version { get; init; }
}
