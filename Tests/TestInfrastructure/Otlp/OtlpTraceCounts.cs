namespace Observability.TestInfrastructure.Otlp;

/// <summary>What a receiver counted of one trace: its spans by name and its log records.</summary>
/// <param name="SpansByName">How many spans of each name arrived.</param>
/// <param name="LogRecords">How many log records carrying the trace's ID arrived.</param>
public sealed record OtlpTraceCounts(IReadOnlyDictionary<string, int> SpansByName, int LogRecords)
{
    /// <summary>All spans of the trace.</summary>
    public int Spans => SpansByName.Values.Sum();
}
