namespace Observability.Dashboard.Configuration;

/// <summary>Telemetry store limits and persistence, bound from the <c>Dashboard:Storage</c> configuration section.</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "Dashboard:Storage";

    /// <summary><c>Dashboard:Storage:MaxTraces</c>: traces kept in memory. Default 100,000.</summary>
    public int MaxTraces { get; set; } = 100_000;

    /// <summary><c>Dashboard:Storage:MaxSpans</c>: spans kept in memory across all traces. Default 1,000,000.</summary>
    public int MaxSpans { get; set; } = 1_000_000;

    /// <summary><c>Dashboard:Storage:MaxSpansPerTrace</c>: spans kept per trace; later ones are dropped. Default 5,000.</summary>
    public int MaxSpansPerTrace { get; set; } = 5_000;

    /// <summary><c>Dashboard:Storage:MaxLogs</c>: log records kept in memory. Default 200,000.</summary>
    public int MaxLogs { get; set; } = 200_000;

    /// <summary><c>Dashboard:Storage:MaxPointsPerSeries</c>: metric points kept per time series (one hour at 10 s). Default 360.</summary>
    public int MaxPointsPerSeries { get; set; } = 360;

    /// <summary><c>Dashboard:Storage:MaxSeriesPerResource</c>: metric time series per resource (its fair share). Default 2,000.</summary>
    public int MaxSeriesPerResource { get; set; } = 2_000;

    /// <summary>
    /// <c>Dashboard:Storage:MaxSeries</c>: metric time series in total; with <see cref="MaxPointsPerSeries"/> this bounds
    /// the metric points held. Default 10,000.
    /// </summary>
    public int MaxSeries { get; set; } = 10_000;

    /// <summary><c>Dashboard:Storage:MaxResources</c>: distinct resources (service + instance). Default 1,000.</summary>
    public int MaxResources { get; set; } = 1_000;

    /// <summary><c>Dashboard:Storage:MaxAttributeCount</c>: attributes kept per item. Default 128.</summary>
    public int MaxAttributeCount { get; set; } = 128;

    /// <summary><c>Dashboard:Storage:MaxAttributeLength</c>: characters kept per string value. Default 4,096.</summary>
    public int MaxAttributeLength { get; set; } = 4_096;

    /// <summary><c>Dashboard:Storage:MaxSpanEvents</c>: events (and links) kept per span. Default 128.</summary>
    public int MaxSpanEvents { get; set; } = 128;

    /// <summary><c>Dashboard:Storage:SlowTraceThreshold</c>: traces at least this long are evicted last. Default 1 s.</summary>
    public TimeSpan SlowTraceThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>Dashboard:Storage:DataDirectory</c>: where telemetry is persisted so that it survives a restart. Default
    /// <c>{LocalApplicationData}/Observability.Dashboard</c>; set it empty to keep telemetry in memory only.
    /// </summary>
    public string? DataDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Observability.Dashboard");

    /// <summary>True unless <see cref="DataDirectory"/> is empty.</summary>
    public bool IsPersistent => !string.IsNullOrEmpty(DataDirectory);

    /// <summary><c>Dashboard:Storage:RetentionAge</c>: persisted telemetry older than this is deleted. Default 7 days.</summary>
    public TimeSpan RetentionAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary><c>Dashboard:Storage:RetentionBytes</c>: persisted telemetry beyond this size is deleted, oldest first. Default 1 GiB.</summary>
    public long RetentionBytes { get; set; } = 1L << 30;

    /// <summary><c>Dashboard:Storage:SegmentBytes</c>: size at which a persistence segment file is closed. Default 64 MiB.</summary>
    public long SegmentBytes { get; set; } = 64L << 20;
}
