namespace Observability.Dashboard.Storage;

/// <summary>OTLP <c>AggregationTemporality</c> numbers.</summary>
internal enum AggregationTemporality : byte
{
    Unspecified = 0,
    Delta = 1,
    Cumulative = 2,
}
