namespace Observability.ServiceDefaults.Metrics;

/// <summary>Settings of the Prometheus scraping endpoint, bound from the <c>Metrics:Prometheus</c> section.</summary>
public sealed class PrometheusMetricsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Metrics:Prometheus";

    /// <summary>
    /// <c>Metrics:Prometheus:Path</c>: where the scraping endpoint is mapped. Default <c>/metrics</c>.
    /// Must start with <c>/</c>.
    /// </summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// <c>Metrics:Prometheus:ScrapeResponseCacheDuration</c>: how long a rendered scrape is served again to
    /// further scrapes before metrics are collected anew. Default 300 ms; <see cref="TimeSpan.Zero"/> collects on
    /// every scrape. Concurrent scrapes always share one collection whatever this value. Between 0 and 1 minute.
    /// </summary>
    public TimeSpan ScrapeResponseCacheDuration { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// <c>Metrics:Prometheus:CollectTimeout</c>: the longest a collection may take (observable instruments'
    /// callbacks run during it) before the scrape answers 503. Default 10 seconds (Prometheus' own default
    /// scrape timeout). Between 1 millisecond and 5 minutes.
    /// </summary>
    public TimeSpan CollectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
