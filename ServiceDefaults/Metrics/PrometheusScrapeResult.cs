namespace Observability.ServiceDefaults.Metrics;

/// <summary>One rendered scrape, shared read-only by every response served from it.</summary>
/// <param name="Content">The UTF-8 body.</param>
/// <param name="Format">The exposition format of <paramref name="Content"/>.</param>
/// <param name="CollectedAt">When the collection ran (from the injected TimeProvider).</param>
/// <param name="Sequence">The number of the collection that produced it (1, 2, ...).</param>
internal sealed record PrometheusScrapeResult(ReadOnlyMemory<byte> Content, PrometheusFormat Format, DateTimeOffset CollectedAt, long Sequence);
