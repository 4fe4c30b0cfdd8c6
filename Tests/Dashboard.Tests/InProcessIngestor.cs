using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Tests;

/// <summary>The real ingest pipeline (decoders, registry, stores) without a server, for fuzzing and concurrency tests.</summary>
internal sealed class InProcessIngestor : IDisposable
{
    public InProcessIngestor(StorageOptions storage)
    {
        var storageOptions = Options.Create(storage);
        var otlpOptions = Options.Create(new OtlpOptions { PrimaryApiKey = "unused" });
        Drops = new DropCounters();
        Registry = new ResourceRegistry(storageOptions);
        Traces = new TraceStore(storageOptions, Drops);
        Logs = new LogStore(storageOptions, Drops);
        Metrics = new MetricStore(storageOptions, Drops);
        Journal = new TelemetryJournal(storageOptions, TimeProvider.System, NullLogger<TelemetryJournal>.Instance);
        Ingestor = new OtlpIngestor(Registry, Traces, Logs, Metrics, Drops, new TelemetryNotifier(), Journal, storageOptions, otlpOptions);
    }

    public DropCounters Drops { get; }

    public ResourceRegistry Registry { get; }

    public TraceStore Traces { get; }

    public LogStore Logs { get; }

    public MetricStore Metrics { get; }

    public TelemetryJournal Journal { get; }

    public OtlpIngestor Ingestor { get; }

    public void Dispose() => Journal.Dispose();
}
