using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// Serves scrapes from the pull reader it creates: one collection at a time (the reader's batch is rendered
/// inside the collection), concurrent scrapes share the collection that started after they arrived, and a
/// rendered scrape is reused for <see cref="PrometheusMetricsOptions.ScrapeResponseCacheDuration"/>.
/// </summary>
internal sealed class PrometheusScraper : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PrometheusSerializer _serializer = new();
    private readonly PooledByteBuffer _buffer = new();
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<PrometheusMetricsOptions> _options;
    private readonly ILogger<PrometheusScraper> _logger;
    private PrometheusExporter? _exporter;
    private PrometheusScrapeResult? _text;
    private PrometheusScrapeResult? _openMetrics;
    private long _collections;

    // State of the collection in progress: written and read only under _gate, on the collecting thread.
    private PrometheusFormat _pendingFormat;
    private long _pendingSequence;
    private DateTimeOffset _pendingTime;
    private PrometheusScrapeResult? _rendered;
    private bool _collecting;

    public PrometheusScraper(TimeProvider timeProvider, IOptionsMonitor<PrometheusMetricsOptions> options, ILogger<PrometheusScraper> logger)
    {
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>Whether a reader of this scraper is registered in a running MeterProvider.</summary>
    public bool IsAttached => Volatile.Read(ref _exporter)?.Collect is not null;

    /// <summary>
    /// Creates the pull reader (cumulative temporality) to register in a MeterProvider; scrapes read through the
    /// most recently created one.
    /// </summary>
    public MetricReader CreateReader()
    {
        var exporter = new PrometheusExporter(OnExport);
        var reader = new BaseExportingMetricReader(exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        Volatile.Write(ref _exporter, exporter);
        return reader;
    }

    /// <summary>A rendered scrape, or null when no MeterProvider runs the reader or the collection failed.</summary>
    public async ValueTask<PrometheusScrapeResult?> ScrapeAsync(PrometheusFormat format, CancellationToken cancellationToken)
    {
        var collectionsBeforeArrival = Interlocked.Read(ref _collections);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var options = _options.CurrentValue;
            var now = _timeProvider.GetUtcNow();
            var cached = format == PrometheusFormat.OpenMetrics ? _openMetrics : _text;
            if (cached is not null
                && (cached.Sequence > collectionsBeforeArrival
                    || (now >= cached.CollectedAt && now - cached.CollectedAt < options.ScrapeResponseCacheDuration)))
            {
                return cached;
            }

            if (Volatile.Read(ref _exporter)?.Collect is not { } collect)
            {
                PrometheusLog.NoMeterProvider(_logger);
                return null;
            }

            _pendingFormat = format;
            _pendingSequence = Interlocked.Increment(ref _collections);
            _pendingTime = now;
            _rendered = null;
            _collecting = true;
            bool collected;
            try
            {
                collected = collect((int)options.CollectTimeout.TotalMilliseconds);
            }
            finally
            {
                _collecting = false;
            }

            var result = _rendered;
            _rendered = null;
            if (!collected || result is null)
            {
                PrometheusLog.CollectFailed(_logger, options.CollectTimeout);
                return null;
            }

            if (format == PrometheusFormat.OpenMetrics)
            {
                _openMetrics = result;
            }
            else
            {
                _text = result;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _buffer.Dispose();
    }

    private ExportResult OnExport(Batch<Metric> batch, PrometheusExporter exporter)
    {
        if (!_collecting)
        {
            // Only scrapes render; a collection nobody asked for (never expected for a pull-only reader) is dropped.
            return ExportResult.Success;
        }

        _buffer.Clear();
        _serializer.Write(_buffer, batch, exporter.ParentProvider?.GetResource(), _pendingFormat);
        _rendered = new PrometheusScrapeResult(_buffer.ToArray(), _pendingFormat, _pendingTime, _pendingSequence);
        return ExportResult.Success;
    }
}
