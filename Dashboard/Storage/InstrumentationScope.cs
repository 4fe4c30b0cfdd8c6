namespace Observability.Dashboard.Storage;

/// <summary>The library that produced telemetry (OTLP <c>InstrumentationScope</c>).</summary>
internal sealed record InstrumentationScope(string Name, string? Version)
{
    public static InstrumentationScope Empty { get; } = new(string.Empty, null);
}
