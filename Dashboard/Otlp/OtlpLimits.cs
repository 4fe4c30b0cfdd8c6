namespace Observability.Dashboard.Otlp;

/// <summary>Caps applied while decoding (from <c>Dashboard:Storage</c> and <c>Dashboard:Otlp</c>).</summary>
internal sealed record OtlpLimits(int MaxAttributeCount, int MaxAttributeLength, int MaxSpanEvents, int MaxNestingDepth);
